/**
 * The report page's script, run in the browser: it is embedded as source text (`pageScript.toString()`), so
 * it must not refer to anything outside itself. Node data comes from the `#run-data` JSON element; every text
 * it puts on the page goes through `textContent`, never HTML.
 */
export function pageScript(): void {
  const doc: any = (globalThis as any).document;
  const data = JSON.parse(doc.getElementById("run-data").textContent);
  // [name, class, status, start, end, attempts, hash, error, retries, cache, parents, interrupted, waiting]
  const nodes: any[][] = data.nodes;
  const labels: Record<string, string> = data.labels;
  const aside = doc.getElementById("details");
  let pinned = -1;
  let shown = -2;

  const ms = (v: number) => {
    if (v < 1) return `${Math.round(v * 1000)} µs`;
    if (v < 100) return `${v.toFixed(1)} ms`;
    if (v < 1000) return `${Math.round(v)} ms`;
    return `${(v / 1000).toFixed(2)} s`;
  };
  const el = (tag: string, text?: string, cls?: string) => {
    const e = doc.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };
  const highlight = (i: number, on: boolean) => {
    for (const e of doc.querySelectorAll(`[data-i="${i}"]`)) e.classList.toggle("sel", on);
  };

  const show = (i: number) => {
    if (i === shown) return;
    if (shown >= 0) highlight(shown, false);
    shown = i;
    aside.replaceChildren();
    if (i < 0) {
      aside.append(el("h2", "Details"), el("p", "Hover over or click a node, a bar or a row.", "hint"));
      return;
    }
    highlight(i, true);
    const [
      name,
      cls,
      status,
      start,
      end,
      attempts,
      hash,
      error,
      retries,
      cache,
      parents,
      interrupted,
      waiting,
    ] = nodes[i]!;
    aside.append(el("h2", name));
    const dl = el("dl");
    const row = (k: string, v: string) => dl.append(el("dt", k), el("dd", v));
    row("class", cls);
    const badge = el("span", labels[status], `badge s-${status}`);
    const dd = el("dd");
    dd.append(badge);
    if (interrupted) dd.append(el("span", " (stopped when the run ended)"));
    dl.append(el("dt", "status"), dd);
    if (start !== null) row("started", `+${ms(start)}`);
    if (start !== null && end !== null) row("duration", ms(end - start));
    row("tries", String(attempts));
    if (cache) row("cache", cache);
    if (waiting) row("waited", waiting);
    row("hash", hash);
    if (data.critical.includes(i)) row("critical path", "yes");
    aside.append(dl);
    if (parents.length > 0) {
      aside.append(el("h3", "inputs from"));
      const ul = el("ul");
      for (const p of parents) {
        const li = el("li", nodes[p]![0]);
        li.dataset.i = String(p);
        li.style.cursor = "pointer";
        ul.append(li);
      }
      aside.append(ul);
    }
    if (retries.length > 0) {
      aside.append(el("h3", "retries"));
      const ul = el("ul");
      for (const [at, attempt, message] of retries)
        ul.append(el("li", `+${ms(at)} try ${attempt}: ${message}`));
      aside.append(ul);
    }
    if (error) aside.append(el("h3", status === "skipped" ? "why skipped" : "error"), el("pre", error));
  };

  const target = (event: any): number => {
    const hit = event.target?.closest?.("[data-i]");
    return hit ? Number(hit.dataset?.i ?? hit.getAttribute("data-i")) : -1;
  };
  doc.addEventListener("mouseover", (event: any) => {
    if (pinned >= 0) return;
    const i = target(event);
    if (i >= 0) show(i);
  });
  doc.addEventListener("click", (event: any) => {
    if (event.target?.closest?.("th")) return;
    const i = target(event);
    if (i < 0) {
      if (!event.target?.closest?.("aside")) {
        pinned = -1;
      }
      return;
    }
    pinned = i;
    show(i);
    if (!event.target.closest(".dag")) {
      const box = doc.querySelector(`#dag [data-i="${i}"]`);
      box?.scrollIntoView?.({ block: "nearest", inline: "nearest" });
    }
  });
  doc.addEventListener("keydown", (event: any) => {
    if (event.key === "Escape") {
      pinned = -1;
      show(-1);
    } else if (event.key === "Enter") {
      const i = target(event);
      if (i >= 0) {
        pinned = i;
        show(i);
      }
    }
  });

  // the table: sort by a column, filter by text
  const tbody = doc.querySelector("#nodes tbody");
  const rows: any[] = [...tbody.rows];
  let sortKey = "";
  let ascending = true;
  for (const th of doc.querySelectorAll("#nodes th")) {
    th.addEventListener("click", () => {
      const key = th.dataset.key;
      ascending = key === sortKey ? !ascending : true;
      sortKey = key;
      const value = (tr: any) => {
        const cell = tr.querySelector(`[data-key="${key}"]`);
        const raw = cell?.dataset.v ?? cell?.textContent ?? "";
        const n = Number(raw);
        return raw !== "" && !Number.isNaN(n) ? n : raw;
      };
      rows.sort((a, b) => {
        const x = value(a);
        const y = value(b);
        const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
        return ascending ? c : -c;
      });
      tbody.append(...rows);
    });
  }
  const filter = doc.getElementById("filter");
  filter?.addEventListener("input", () => {
    const q = filter.value.trim().toLowerCase();
    for (const tr of rows) tr.hidden = q !== "" && !tr.textContent.toLowerCase().includes(q);
  });
  show(-1);
}
