// The exercise workspace: CodeMirror editors for answer cells, run/check/submit,
// autosave with conflict detection, upload and download. Loaded only by
// templates/trainee/workspace.html. Everything shown from the server is either
// plain text (set with textContent) or HTML the server already sanitised.
import { basicSetup } from "codemirror";
import { EditorView, keymap, lineNumbers } from "@codemirror/view";
import { EditorState, Prec } from "@codemirror/state";
import { indentWithTab } from "@codemirror/commands";
import { indentUnit, syntaxHighlighting, defaultHighlightStyle } from "@codemirror/language";
import { python } from "@codemirror/lang-python";
import "./workspace.css";
import { alertArea, element, format, points } from "../lib/dom.js";

const data = JSON.parse(document.getElementById("workspace-data").textContent);
const msg = data.messages;
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
const styleNonce = document.querySelector('meta[name="csp-style-nonce"]')?.content || "";
const statusEl = document.getElementById("save-status");
// Messages show as a toast under the sticky toolbar, where the eye is (lib/dom.js alertArea).
const alerts = alertArea(document.getElementById("workspace-alert"), msg.close);
const resultsEl = document.getElementById("results");

/** grade_id -> {view, section, index} for every answer cell. */
const answerEditors = new Map();
let revision = data.revision;
let changeCounter = 0; // bumps on every edit; a save knows which edits it carried
let savedCounter = 0;
let saveTimer = null;
let saving = null; // the running save's promise
let retryTimer = null;
// After a server error (e.g. 503 while the database restarts) or a lost connection, autosave tries
// again by itself: after 2 s, then twice as long each time (at most 60 s), or later if the server asks.
const RETRY_FIRST_MS = 2000;
const RETRY_MAX_MS = 60000;
let retryDelay = RETRY_FIRST_MS;
let saveAlertShown = false; // the alert shows a failed save: a later successful save clears it
let inConflict = false;
let busy = false;
let applyingServerAnswers = false; // answers put in from the server are not edits to save

// --- small helpers -----------------------------------------------------------

async function postJSON(url, body, options = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
    body: JSON.stringify(body),
    credentials: "same-origin",
    ...options,
  });
  return { response, body: await response.json().catch(() => ({})) };
}

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  return { response, body: await response.json().catch(() => ({})) };
}

function showAlert(kind, text, actions = []) {
  alerts.show(kind, text, actions);
}

function setStatus(state) {
  statusEl.dataset.state = state;
  statusEl.textContent = msg[`status_${state}`];
}

function setBusy(value) {
  busy = value;
  for (const button of document.querySelectorAll("[data-action=run-all], [data-action=check], [data-action=submit], [data-action=run-to]")) {
    button.disabled = value;
  }
  document.body.classList.toggle("workspace-busy", value);
}

/**
 * Show that code is running: the label, the seconds since it started, and a Stop button.
 * There is no way to interrupt a run on the server (it runs inside the request, and the
 * kernel stops it itself at the exercise's time limit), so Stop ends the wait in this page
 * through ``controller`` and the page says so. Returns a function that ends the display.
 */
function showWaiting(label, controller) {
  const wrap = element("div", "d-flex flex-wrap align-items-center gap-2 waiting");
  const spin = element("span", "spinner-border spinner-border-sm");
  spin.setAttribute("aria-hidden", "true");
  const clock = element("span", "text-muted small waiting-elapsed", format(msg.elapsed, { seconds: 0 }));
  clock.setAttribute("aria-hidden", "true"); // a number changing every second is noise to a screen reader
  const stop = element("button", "btn btn-sm btn-outline-danger ms-auto", msg.stop);
  stop.type = "button";
  stop.dataset.action = "stop";
  stop.addEventListener("click", () => controller.abort());
  wrap.append(spin, element("span", null, label), clock, stop);
  resultsEl.replaceChildren(wrap);
  const started = Date.now();
  const timer = setInterval(() => {
    clock.textContent = format(msg.elapsed, { seconds: Math.round((Date.now() - started) / 1000) });
  }, 1000);
  return () => clearInterval(timer);
}

// --- answers and drafts ------------------------------------------------------

function currentAnswers() {
  const answers = {};
  for (const [gradeId, { view }] of answerEditors) answers[gradeId] = view.state.doc.toString();
  return answers;
}

/** Put answers into the editors; `asEdit` marks them as the trainee's unsaved edits. */
function setAnswers(answers, asEdit = false) {
  applyingServerAnswers = !asEdit;
  try {
    for (const [gradeId, { view }] of answerEditors) {
      const text = answers[gradeId] ?? data.starters[gradeId] ?? "";
      if (view.state.doc.toString() !== text) {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      }
    }
  } finally {
    applyingServerAnswers = false;
  }
}

function backupLocally() {
  try {
    localStorage.setItem(data.storageKey, JSON.stringify({ answers: currentAnswers(), revision }));
  } catch (error) {
    // Private browsing or a full storage: the server draft is still the real copy.
  }
}

function clearBackup() {
  try {
    localStorage.removeItem(data.storageKey);
  } catch (error) {
    /* nothing to clear */
  }
}

function onEdit() {
  if (applyingServerAnswers) return;
  changeCounter += 1;
  if (inConflict) return;
  setStatus("unsaved");
  backupLocally();
  clearTimeout(saveTimer);
  saveTimer = setTimeout(save, 1200);
}

async function save(options = {}) {
  clearTimeout(saveTimer);
  if (inConflict || changeCounter === savedCounter) return;
  if (saving) {
    await saving;
    return save(options);
  }
  const carried = changeCounter;
  setStatus("saving");
  saving = (async () => {
    try {
      const { response, body } = await postJSON(data.urls.save, { answers: currentAnswers(), revision }, options);
      if (response.ok) {
        retryDelay = RETRY_FIRST_MS;
        if (saveAlertShown) {
          saveAlertShown = false;
          alerts.clear();
        }
        revision = body.revision;
        savedCounter = carried;
        markStarted();
        if (changeCounter === carried) {
          setStatus("saved");
          clearBackup();
        } else {
          backupLocally();
        }
      } else if (response.status === 409) {
        showConflict(body);
      } else {
        // Refused (e.g. 413: too large): the answers stay in the editors and in this browser.
        setStatus("error");
        backupLocally();
        const reason = body.error || msg.save_failed;
        showAlert("danger", response.status === 413 ? `${reason} ${msg.kept_locally}` : reason);
        saveAlertShown = true;
        if (response.status >= 500) scheduleRetry(response);
      }
    } catch (error) {
      goOffline();
    }
  })();
  await saving;
  saving = null;
  // Edits made during the save are saved next; after a refusal only a new edit (or Ctrl+S) tries again.
  const stopped = ["offline", "error"].includes(statusEl.dataset.state);
  if (!inConflict && !stopped && changeCounter !== savedCounter) {
    saveTimer = setTimeout(save, 300);
  }
}

function goOffline() {
  setStatus("offline");
  backupLocally();
  scheduleRetry(null);
}

/** Try the save again later, backing off: the server's Retry-After when longer, never over a minute. */
function scheduleRetry(response) {
  const askedMs = (Number(response?.headers.get("Retry-After")) || 0) * 1000;
  clearTimeout(retryTimer);
  retryTimer = setTimeout(save, Math.min(Math.max(retryDelay, askedMs), RETRY_MAX_MS));
  retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
}

window.addEventListener("online", () => save());

function showConflict(body) {
  inConflict = true;
  setStatus("conflict");
  const server = body.draft || { answers: {}, revision: 0 };
  showAlert("warning", `${body.error || ""} ${msg.conflict_choose}`, [
    {
      label: msg.conflict_load,
      action: "conflict-load",
      style: "btn-warning",
      onClick: () => {
        inConflict = false;
        revision = server.revision;
        setAnswers(server.answers);
        savedCounter = changeCounter;
        clearBackup();
        setStatus("saved");
        alerts.clear();
      },
    },
    {
      label: msg.conflict_keep,
      action: "conflict-keep",
      onClick: () => {
        inConflict = false;
        revision = server.revision;
        alerts.clear();
        savedCounter = -1; // force the next save
        save();
      },
    },
  ]);
}

/** Save what is left when the page is closed; keepalive lets the request outlive the page. */
function flushOnLeave() {
  if (changeCounter === savedCounter || inConflict) return;
  backupLocally();
  fetch(data.urls.save, {
    method: "POST",
    keepalive: true,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
    body: JSON.stringify({ answers: currentAnswers(), revision }),
  }).catch(() => {});
}

window.addEventListener("pagehide", flushOnLeave);
document.addEventListener("visibilitychange", async () => {
  if (document.visibilityState === "hidden") {
    // The normal save (kept alive), so the revision it gets back is remembered: coming back to
    // this tab must not look like another tab's change.
    backupLocally();
    save({ keepalive: true });
    return;
  }
  // Back in this tab: pick up answers saved meanwhile in another tab, if ours are all saved.
  if (changeCounter !== savedCounter || inConflict) return;
  try {
    const { response, body } = await getJSON(data.urls.draft);
    if (response.ok && body.revision > revision) {
      revision = body.revision;
      setAnswers(body.answers);
      savedCounter = changeCounter;
      showAlert("info", msg.loaded_newer);
    }
  } catch (error) {
    /* offline: nothing to compare with */
  }
});

function restoreBackup() {
  let backup = null;
  try {
    backup = JSON.parse(localStorage.getItem(data.storageKey) || "null");
  } catch (error) {
    backup = null;
  }
  if (!backup || backup.revision !== revision || !backup.answers) {
    clearBackup();
    return;
  }
  const differs = Object.keys(backup.answers).some(
    (gradeId) => answerEditors.has(gradeId) && backup.answers[gradeId] !== data.answers[gradeId],
  );
  if (differs) {
    setAnswers({ ...data.answers, ...backup.answers }, true);
    showAlert("info", msg.restored_backup);
  }
}

// --- editors -------------------------------------------------------------------

function runKeymap(index) {
  return Prec.highest(
    keymap.of([
      { key: "Shift-Enter", run: () => (runUpTo(index), true) },
      { key: "Mod-s", run: () => (save(), true), preventDefault: true },
    ]),
  );
}

// Read-only cells need no editing aids: a lighter setup makes the workspace ready sooner on slow phones.
const readOnlySetup = [lineNumbers(), syntaxHighlighting(defaultHighlightStyle, { fallback: true })];

function createEditor(section) {
  const pre = section.querySelector(".nb-source");
  const index = Number(section.dataset.index);
  const kind = section.dataset.kind;
  const gradeId = section.dataset.gradeId;
  const isAnswer = kind === "answer";
  const isCode = section.dataset.cellType === "code";
  const text = isAnswer ? data.answers[gradeId] ?? pre.textContent : pre.textContent;
  const extensions = [
    isAnswer ? basicSetup : readOnlySetup,
    EditorView.cspNonce.of(styleNonce),
    EditorView.lineWrapping,
    indentUnit.of("    "),
    EditorView.contentAttributes.of({ "aria-label": section.getAttribute("aria-label") }),
  ];
  if (isCode) extensions.push(python());
  if (isAnswer) {
    extensions.push(
      runKeymap(index),
      keymap.of([indentWithTab]),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) onEdit();
      }),
    );
  } else {
    // tabindex: a read-only editor can still be reached by keyboard and scrolled (WCAG 2.1.1).
    extensions.push(EditorState.readOnly.of(true), EditorView.editable.of(false), EditorView.contentAttributes.of({ tabindex: "0" }));
  }
  const holder = element("div", `nb-editor${isAnswer ? " nb-editor-answer" : " nb-editor-readonly"}`);
  pre.replaceWith(holder);
  const view = new EditorView({ state: EditorState.create({ doc: text, extensions }), parent: holder });
  if (isAnswer) answerEditors.set(gradeId, { view, section, index });
}

// --- outputs and results --------------------------------------------------------

function clearOutputs(afterIndex = -1) {
  for (const section of document.querySelectorAll(".nb-cell")) {
    if (Number(section.dataset.index) > afterIndex) {
      section.querySelector(".nb-outputs")?.replaceChildren();
      section.querySelector(".nb-test-result")?.replaceChildren();
      const count = section.querySelector(".nb-count");
      if (count) count.textContent = "";
    }
  }
}

function showOutputs(cells) {
  for (const cell of cells || []) {
    const section = document.getElementById(`cell-${cell.index}`);
    if (!section) continue;
    const outputs = section.querySelector(".nb-outputs");
    // cell.html was sanitised by the server (services/notebook_html.py).
    if (outputs) outputs.innerHTML = cell.html;
    const count = section.querySelector(".nb-count");
    if (count) count.textContent = cell.execution_count ? `[${cell.execution_count}]` : "";
  }
}

function testStatusBadge(status) {
  const badge = element("span", `badge test-${status}`, msg[`test_${status}`] || status);
  return badge;
}

function testList(tests) {
  const list = element("ul", "list-group test-results");
  for (const test of tests) {
    const item = element("li", `list-group-item d-flex flex-wrap gap-2 align-items-start test-row test-row-${test.status}`);
    item.dataset.gradeId = test.grade_id;
    // Tests are named by their task ("Tugas 2 — Retribusi sampah"); rules by their instruction.
    const name = element("a", "fw-semibold test-title", test.title || test.grade_id);
    name.title = test.grade_id;
    name.href = `#${document.querySelector(`.nb-cell[data-grade-id="${CSS.escape(test.grade_id)}"]`)?.id || ""}`;
    item.append(testStatusBadge(test.status), name);
    item.append(element("span", "ms-auto text-nowrap", format(msg.points_of, { points: points(test.points), max: points(test.max_points) })));
    if (test.message) item.append(element("div", "w-100 small test-message", test.message));
    list.append(item);
  }
  return list;
}

function markTestCells(tests) {
  for (const test of tests) {
    const section = document.querySelector(`.nb-cell[data-grade-id="${CSS.escape(test.grade_id)}"]`);
    const box = section?.querySelector(".nb-test-result");
    if (!box) continue;
    box.replaceChildren(testStatusBadge(test.status));
    if (test.message) box.append(element("span", "ms-2 small", test.message));
  }
}

/** Bring the first test that did not pass into view, so the trainee sees which task to fix. */
function showFirstFailure(tests) {
  const failed = (tests || []).find((test) => test.status !== "passed");
  if (!failed) return;
  const section = document.querySelector(`.nb-cell[data-grade-id="${CSS.escape(failed.grade_id)}"]`);
  const calm = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  section?.scrollIntoView({ block: "center", behavior: calm ? "auto" : "smooth" });
}

function scoreLine(label, score, max) {
  const line = element("p", "score-line mb-2");
  line.append(element("span", null, `${label}: `), element("strong", "score-value", `${points(score)} / ${points(max)}`));
  return line;
}

/** A short score in the toolbar, linking to the results panel (below the notebook on small screens). */
function showChip(text, ok) {
  const chip = document.getElementById("result-chip");
  chip.textContent = text;
  chip.className = `result-chip ms-2 ${ok ? "result-ok" : "result-bad"}`;
  chip.hidden = false;
}

function showNotes(container, result) {
  if (result.error) container.append(element("div", "alert alert-danger small mb-2", result.error));
  for (const note of result.notes || []) container.append(element("div", "alert alert-info small mb-2 py-1", note));
}

// --- run, check, submit -----------------------------------------------------------

async function requestGrading(url, body, label) {
  if (busy) return null;
  setBusy(true);
  alerts.clear();
  const controller = new AbortController();
  const endWaiting = showWaiting(label, controller);
  try {
    const { response, body: result } = await postJSON(url, body, { signal: controller.signal });
    if (!response.ok) {
      resultsEl.replaceChildren(element("div", `alert alert-${response.status === 429 ? "warning" : "danger"} mb-0`, result.error || msg.server_error));
      return null;
    }
    return result;
  } catch (error) {
    const stopped = error.name === "AbortError";
    const text = stopped ? format(msg.stopped, { seconds: data.runLimitS }) : msg.network_error;
    resultsEl.replaceChildren(element("div", `alert alert-${stopped ? "info" : "danger"} mb-0 run-stopped`, text));
    return null;
  } finally {
    endWaiting();
    setBusy(false);
  }
}

async function runUpTo(index) {
  save();
  const result = await requestGrading(data.urls.run, { answers: currentAnswers(), run_until: index }, msg.running);
  if (!result) return;
  clearOutputs(-1);
  showOutputs(result.cells);
  resultsEl.replaceChildren(element("p", "mb-2", index === null ? msg.ran_all : msg.ran_to));
  showNotes(resultsEl, result);
  const target = index === null ? null : document.getElementById(`cell-${index}`);
  target?.querySelector(".nb-outputs")?.scrollIntoView({ block: "nearest", behavior: "smooth" });
}

async function check() {
  save();
  const result = await requestGrading(data.urls.check, { answers: currentAnswers() }, msg.checking);
  if (!result) return;
  clearOutputs(-1);
  showOutputs(result.cells);
  markTestCells(result.tests);
  resultsEl.replaceChildren(element("h3", "h6", msg.check_title), scoreLine(msg.public_tests, result.score, result.max_score));
  showChip(`${msg.check_title}: ${points(result.score)} / ${points(result.max_score)}`, result.score === result.max_score);
  showNotes(resultsEl, result);
  resultsEl.append(testList(result.tests), element("p", "small text-muted mt-2 mb-0", msg.check_hint));
  showFirstFailure(result.tests);
}

const STEPS = ["queued", "running", "graded"];

function stepper(status) {
  const list = element("ol", "submit-steps");
  const reached = STEPS.indexOf(status === "failed" ? "graded" : status);
  STEPS.forEach((step, position) => {
    const label = step === "graded" && status === "failed" ? msg.sub_failed : msg[`sub_${step}`];
    const item = element("li", position < reached ? "done" : position === reached ? "current" : "", label);
    if (position === reached) item.setAttribute("aria-current", "step");
    list.append(item);
  });
  return list;
}

function showSubmission(submission, pageUrl) {
  const parts = [element("h3", "h6", msg.submit_title), stepper(submission.status)];
  if (submission.status === "graded") {
    parts.push(scoreLine(msg.total, submission.score, submission.max_score));
    showChip(`${msg.total}: ${points(submission.score)} / ${points(submission.max_score)}`, submission.score === submission.max_score);
  }
  resultsEl.replaceChildren(...parts);
  if (submission.status === "graded") {
    showNotes(resultsEl, submission);
    resultsEl.append(testList(submission.tests));
    markTestCells(submission.tests);
    showFirstFailure(submission.tests);
  } else if (submission.status === "failed") {
    showNotes(resultsEl, submission);
  }
  if (pageUrl && (submission.status === "graded" || submission.status === "failed")) {
    const link = element("a", "d-inline-block mt-2 small", msg.open_submission);
    link.href = pageUrl;
    resultsEl.append(link);
  }
  if (submission.standing) showStanding(submission.standing);
}

const STATUS_STYLES = {
  not_started: "text-bg-light border",
  in_progress: "text-bg-info",
  needs_revision: "text-bg-warning",
  passed: "text-bg-success",
};

/** The header's status badge, as the server's template draws it. */
function setHeaderStatus(status) {
  const holder = document.getElementById("exercise-status");
  if (!holder) return;
  const badge = element("span", `badge ${STATUS_STYLES[status] || "text-bg-light"}`, msg[`status_${status}`] || status);
  badge.dataset.status = status;
  holder.replaceChildren(badge);
}

/** The first saved draft makes a "not started" exercise "in progress". */
function markStarted() {
  if (document.querySelector("#exercise-status [data-status=not_started]")) setHeaderStatus("in_progress");
}

/** After a graded submission: the header's status and best score, and where to go once passed. */
function showStanding(standing) {
  setHeaderStatus(standing.status);
  const best = document.getElementById("best-score");
  if (best && standing.best_score !== null) {
    best.textContent = format(msg.best_score, { score: `${points(standing.best_score)} / ${points(standing.max_score)}` });
  }
  if (standing.status !== "passed") return;
  const box = element("div", "alert alert-success mt-3 mb-0 next-step");
  if (standing.next) {
    box.append(element("div", "small mb-2", format(msg.next_exercise, { title: standing.next.title })));
    const link = element("a", "btn btn-success", `${msg.go_next} →`);
    link.href = standing.next.url;
    link.dataset.action = "next-exercise";
    box.append(link);
  } else {
    const link = element("a", null, msg.all_done);
    link.href = msg.curriculum_url;
    box.append(link);
  }
  resultsEl.append(box);
}

async function submit() {
  await save();
  const result = await requestGrading(data.urls.submit, { answers: currentAnswers() }, msg.submitting);
  if (!result) return;
  setBusy(true);
  showSubmission(result.submission);
  let submission = result.submission;
  let delay = 700;
  const started = Date.now();
  try {
    while (submission.status === "queued" || submission.status === "running") {
      if (Date.now() - started > 5 * 60 * 1000) {
        resultsEl.append(element("p", "small text-muted", msg.still_waiting));
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 1.3, 3000);
      try {
        const { response, body } = await getJSON(result.status_url);
        if (response.ok) submission = body;
      } catch (error) {
        /* a dropped poll is retried */
      }
      showSubmission(submission, result.page_url);
    }
    refreshHistory();
  } finally {
    setBusy(false);
  }
}

async function refreshHistory() {
  try {
    const response = await fetch(data.urls.history, { credentials: "same-origin" });
    // Server-rendered, autoescaped fragment of our own page.
    if (response.ok) document.getElementById("history").innerHTML = await response.text();
  } catch (error) {
    /* keep the old list */
  }
}

// --- reset, upload, download ---------------------------------------------------------

function resetCell(index) {
  for (const [gradeId, entry] of answerEditors) {
    if (entry.index !== index) continue;
    if (!window.confirm(msg.reset_confirm)) return;
    const starter = data.starters[gradeId] ?? "";
    entry.view.dispatch({ changes: { from: 0, to: entry.view.state.doc.length, insert: starter } });
    entry.view.focus();
  }
}

async function upload(input) {
  const file = input.files[0];
  input.value = "";
  if (!file) return;
  if (file.size > data.uploadCap) {
    showAlert("danger", msg.upload_too_large);
    return;
  }
  if (!window.confirm(msg.upload_confirm)) return;
  await save();
  const form = new FormData();
  form.append("notebook", file);
  form.append("revision", String(revision));
  try {
    const response = await fetch(data.urls.upload, {
      method: "POST",
      body: form,
      headers: { "X-CSRFToken": csrfToken, Accept: "application/json" },
      credentials: "same-origin",
    });
    const body = await response.json().catch(() => ({}));
    if (response.status === 409) {
      showConflict(body);
      return;
    }
    if (!response.ok) {
      showAlert("danger", body.error || msg.upload_failed);
      return;
    }
    revision = body.revision;
    setAnswers(body.answers);
    savedCounter = changeCounter;
    clearBackup();
    setStatus("saved");
    showAlert("success", [msg.upload_done, ...(body.notes || [])].join(" "));
  } catch (error) {
    showAlert("danger", msg.network_error);
  }
}

// --- start ------------------------------------------------------------------------------

for (const section of document.querySelectorAll(".nb-cell")) {
  if (section.querySelector(".nb-source")) createEditor(section);
}
restoreBackup();
// Edits made while setting up (a restored backup) still need saving; the rest is in sync.
if (changeCounter > 0) {
  setStatus("unsaved");
  saveTimer = setTimeout(save, 300);
} else {
  setStatus("saved");
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-action]");
  if (!button) return;
  const action = button.dataset.action;
  if (action === "run-all") runUpTo(null);
  else if (action === "run-to") runUpTo(Number(button.dataset.index));
  else if (action === "check") check();
  else if (action === "submit") submit();
  else if (action === "reset") resetCell(Number(button.dataset.index));
  else if (action === "download" && changeCounter !== savedCounter) {
    event.preventDefault();
    save().then(() => {
      window.location.href = button.href;
    });
  }
});

document.querySelector("[data-action=upload-label]")?.addEventListener("keydown", (event) => {
  if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    document.getElementById("upload-input").click();
  }
});
document.getElementById("upload-input").addEventListener("change", (event) => upload(event.target));

// "Ask my mentor" sends the answers as they are in the editors, saved or not.
document.addEventListener("submit", (event) => {
  const field = event.target.querySelector?.("[data-help-answers]");
  if (field) field.value = JSON.stringify(currentAnswers());
});

// Hints on request: the form is sent with fetch so the editors stay as they are; the server answers
// with the task's hint block (revealed hints and the next button), already sanitised, put in place here.
// A hint that costs points has a required tick box, so the browser asks for it before sending.
async function revealHint(form) {
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken },
      credentials: "same-origin",
    });
    const body = await response.json().catch(() => ({}));
    if (response.ok && body.html) {
      const block = form.closest("[data-hints]");
      block.insertAdjacentHTML("afterend", body.html);
      block.remove();
    } else {
      showAlert("danger", body.error || msg.server_error);
      button.disabled = false;
    }
  } catch {
    showAlert("danger", msg.network_error);
    button.disabled = false;
  }
}

document.getElementById("notebook").addEventListener("submit", (event) => {
  const form = event.target.closest?.("[data-hint-form]");
  if (!form) return;
  event.preventDefault();
  revealHint(form);
});

window.addEventListener("beforeunload", (event) => {
  if (changeCounter !== savedCounter && ["offline", "error"].includes(statusEl.dataset.state)) {
    event.preventDefault();
    event.returnValue = "";
  }
});

for (const button of document.querySelectorAll("[data-action]")) {
  if (button.tagName === "BUTTON") button.disabled = false;
}
document.body.classList.add("workspace-ready");
