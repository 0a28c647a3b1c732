// Small helpers shared by the pages' scripts (bundled into each page by esbuild).

/** A new element with an optional class and text (text is never parsed as HTML). */
export function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined && text !== null) el.textContent = text;
  return el;
}

/** Fill a translated "%(name)s" template with values (the same placeholders as Flask-Babel). */
export function format(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, key) => String(values[key] ?? ""));
}

/** Points as people read them in the page's language: "7", "7,5" in Indonesian (at most two decimals). */
export function points(value) {
  const locale = document.documentElement.lang || "id";
  return Number(value).toLocaleString(locale, { maximumFractionDigits: 2 });
}

/**
 * A message area (the workspace's toast under its toolbar, the project editor's alert line).
 * ``show(kind, text, actions)`` puts one Bootstrap alert into it, ``clear()`` empties it.
 * Errors and warnings are announced at once (role="alert"), other messages politely
 * (role="status"); both live regions exist before any message, so screen readers read
 * what is put into them. An action is {label, onClick, style, action}: ``action`` becomes
 * the button's data-action (for tests and styles), ``style`` its button class.
 */
export function alertArea(host, closeLabel) {
  const polite = element("div");
  polite.setAttribute("role", "status");
  const urgent = element("div");
  urgent.setAttribute("role", "alert");
  host.removeAttribute("role");
  host.removeAttribute("aria-live");
  host.replaceChildren(polite, urgent);

  function clear() {
    polite.replaceChildren();
    urgent.replaceChildren();
  }

  function show(kind, text, actions = []) {
    clear();
    if (!text) return null;
    const box = element("div", `alert alert-${kind} d-flex flex-wrap align-items-center gap-2 mb-0`);
    box.append(element("span", "alert-text", text));
    for (const { label, onClick, style, action } of actions) {
      const button = element("button", `btn btn-sm ${style || "btn-outline-dark"}`, label);
      button.type = "button";
      if (action) button.dataset.action = action;
      button.addEventListener("click", onClick);
      box.append(button);
    }
    const close = element("button", "btn-close");
    close.type = "button";
    close.setAttribute("aria-label", closeLabel);
    close.addEventListener("click", clear);
    box.append(close);
    (kind === "danger" || kind === "warning" ? urgent : polite).append(box);
    return box;
  }

  return { show, clear };
}
