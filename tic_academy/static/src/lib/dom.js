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

/** Points as people read them: whole numbers plain, others to two decimals. */
export function points(value) {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}
