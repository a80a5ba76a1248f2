/*
 * Run at build time, in Chromium, with Mermaid's own script loaded into a blank page
 * (macros/diagrams.py). Draws one flowchart and returns it as SVG text that the site styles
 * itself: Mermaid's <style> (colours fixed at draw time, one theme) is dropped, and
 * site.css colours the drawing with Material's palette, light or dark, with or without
 * JavaScript. What Mermaid adds for its own runtime (per-word <tspan>s, empty edge labels,
 * unused arrowheads, data-points) is dropped too: the page carries only what is drawn.
 */
async ({ source, svgId, nodes, config }) => {
  mermaid.initialize(config);
  let svg;
  try {
    ({ svg } = await mermaid.render(svgId, source));
  } finally {
    document.getElementById(`d${svgId}`)?.remove(); // Mermaid's scratch element
  }
  const box = document.createElement("div");
  box.innerHTML = svg;
  const root = box.querySelector("svg");

  root.querySelectorAll("style").forEach((el) => el.remove());
  for (const name of ["role", "aria-roledescription", "class", "style"]) root.removeAttribute(name);
  // Its own size, so the page reserves its space before any stylesheet arrives.
  const [, , width, height] = root.getAttribute("viewBox").split(/\s+/).map(Number);
  root.setAttribute("width", Math.ceil(width));
  root.setAttribute("height", Math.ceil(height));

  // The labels were written as Mermaid entity codes (`#38;`), which Mermaid leaves as "&#38;"
  // in SVG text: each becomes the one character it stands for, as text. Mermaid wraps a long
  // word anywhere, inside a code too ("&#6" | "2;"): a code cut at the end of a line moves
  // whole to the next. Each line becomes one <tspan> instead of one per word.
  const decode = (text) =>
    text.replace(/&#(\d{1,7});/g, (code, n) =>
      Number(n) <= 0x10ffff ? String.fromCodePoint(Number(n)) : code
    );
  for (const text of root.querySelectorAll("text")) {
    const rows = [...text.querySelectorAll("tspan.row")];
    const lines = rows.map((row) => row.textContent);
    for (let i = 0; i + 1 < lines.length; i++) {
      const cut = /&(#\d{0,7})?$/.exec(lines[i]);
      if (cut) {
        lines[i] = lines[i].slice(0, cut.index);
        lines[i + 1] = cut[0] + lines[i + 1];
      }
    }
    rows.forEach((row, i) => {
      row.textContent = decode(lines[i]);
      row.removeAttribute("class");
    });
    if (!rows.length) text.textContent = decode(text.textContent);
  }
  // Step ids on the node groups: what the step-through highlights.
  for (const group of root.querySelectorAll("g.node")) {
    const name = (/-flowchart-(.+)-\d+$/.exec(group.id) || [])[1];
    if (!(name in nodes)) throw new Error(`flow drawing: a node Mermaid drew is not a step: ${group.id}`);
    group.setAttribute("id", `${svgId}-${nodes[name]}`);
    group.setAttribute("data-flow-node", nodes[name]);
    group.setAttribute("class", "node");
  }
  // Edge labels with no text, and the empty boxes Mermaid keeps beside them.
  for (const label of root.querySelectorAll("g.edgeLabel")) {
    if (!label.textContent.trim()) label.remove();
  }
  root.querySelectorAll("rect:not([width]), rect.background").forEach((el) => el.remove());
  // Shadows and gradients for Mermaid's "neo" look, which these drawings do not use.
  root.querySelectorAll("filter, linearGradient, radialGradient").forEach((el) => el.remove());
  const used = new Set(
    [...root.querySelectorAll("[marker-end], [marker-start]")].flatMap((el) =>
      ["marker-end", "marker-start"].map((a) => el.getAttribute(a)).filter(Boolean)
    )
  );
  for (const marker of root.querySelectorAll("marker")) {
    if (!used.has(`url(#${marker.id})`)) marker.remove();
  }
  for (const el of root.querySelectorAll("*")) {
    for (const { name, value } of [...el.attributes]) {
      const empty = name === "style" && !value.replace(/[\s;]/g, "");
      if (empty || name.startsWith("data-") && name !== "data-flow-node") el.removeAttribute(name);
    }
  }
  for (const group of root.querySelectorAll("g, defs")) {
    if (!group.children.length) group.remove();
  }
  root.setAttribute("focusable", "false");
  root.setAttribute("aria-hidden", "true");
  return { svg: new XMLSerializer().serializeToString(root), width, height };
};
