import "reflect-metadata";

export { MoiraeError } from "./errors/moirae-error";
