export { Input } from "./input";
export { Node } from "./node";
export { Output } from "./output";
