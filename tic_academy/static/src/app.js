// TIC Academy page behaviour. No inline scripts: the CSP forbids them.
import "bootstrap/js/dist/collapse";
import "bootstrap/js/dist/dropdown";
import "bootstrap/js/dist/alert";

// Forms or buttons with data-confirm ask before submitting.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset.confirm || event.submitter?.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// Progress bars carry their width in data-progress (no inline style needed).
for (const bar of document.querySelectorAll("[data-progress]")) {
  bar.style.width = `${Number(bar.dataset.progress) || 0}%`;
}

// Selects with data-autosubmit submit their form on change.
for (const select of document.querySelectorAll("select[data-autosubmit]")) {
  select.addEventListener("change", () => select.form.requestSubmit());
}

// A box that scrolls (a wide table, long code) must be reachable by keyboard (WCAG 2.1.1): each
// one that really overflows gets a tab stop, the region role and a name (its table's caption, or
// the page's general label in <body data-scroll-label>). Checked again when the page changes size
// or content (editors and results are drawn after load).
const SCROLL_BOXES = ".table-responsive, pre, .cm-scroller, [data-scroll-box]";

function overflows(box) {
  const style = getComputedStyle(box);
  const sideways = ["auto", "scroll"].includes(style.overflowX) && box.scrollWidth > box.clientWidth;
  const downwards = ["auto", "scroll"].includes(style.overflowY) && box.scrollHeight > box.clientHeight;
  return sideways || downwards;
}

function markScrollBoxes() {
  for (const box of document.querySelectorAll(SCROLL_BOXES)) {
    if (box.hasAttribute("tabindex") && !box.dataset.scrollFocus) {
      continue; // the page already made it focusable on purpose
    }
    if (overflows(box)) {
      box.tabIndex = 0;
      box.dataset.scrollFocus = "1";
      if (!box.hasAttribute("role")) box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
        const caption = box.querySelector("caption")?.textContent.trim();
        box.setAttribute("aria-label", caption || document.body.dataset.scrollLabel || "");
      }
    } else if (box.dataset.scrollFocus) {
      box.removeAttribute("tabindex");
      delete box.dataset.scrollFocus;
    }
  }
}

let scrollBoxTimer = null;
function markScrollBoxesSoon() {
  clearTimeout(scrollBoxTimer);
  scrollBoxTimer = setTimeout(markScrollBoxes, 150);
}
markScrollBoxes();
window.addEventListener("load", markScrollBoxes);
window.addEventListener("resize", markScrollBoxesSoon);
new MutationObserver(markScrollBoxesSoon).observe(document.body, { childList: true, subtree: true });
