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
