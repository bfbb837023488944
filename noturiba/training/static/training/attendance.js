/* Attendance on a phone, offline-tolerant (progressive enhancement of the plain form).
 *
 * Every tap (present / absent), hours or score change becomes a *mark* kept in localStorage
 * under the session's key, then sent as a batch to the page's JSON endpoint. A mark sets a
 * state (never toggles), so sending it twice is harmless. While the network is away (or the
 * server does not answer) the marks stay on the phone and are sent again when the browser
 * says it is online and after a growing pause (2 s, 4 s, … up to a minute). The status line
 * is a polite live region: screen readers hear "Marks not yet saved: 3. Will retry."
 */
(function () {
  "use strict";
  var form = document.getElementById("attendance-form");
  var statusLine = document.getElementById("attendance-sync");
  if (!form || !statusLine || !window.fetch || !window.JSON) { return; }

  var url = form.dataset.marksUrl;
  var key = "noturiba.attendance." + form.dataset.session;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var pending = load();
  var inFlight = false;
  var delay = 2000;
  var timer = null;
  /* The server's clock minus the phone's, so that a mark's time compares with the server's. */
  var clockOffset = Number(form.dataset.serverNow || Date.now()) - Date.now();
  function serverNow() { return new Date(Date.now() + clockOffset).toISOString(); }

  function load() {
    try { return JSON.parse(window.localStorage.getItem(key) || "{}") || {}; } catch (e) { return {}; }
  }
  function store() {
    try {
      if (Object.keys(pending).length) { window.localStorage.setItem(key, JSON.stringify(pending)); }
      else { window.localStorage.removeItem(key); }
    } catch (e) { /* private mode: the marks live in memory only */ }
  }
  function count() { return Object.keys(pending).length; }
  function say(text, saved) {
    statusLine.textContent = text;
    statusLine.classList.toggle("is-saved", !!saved);
  }
  function message(name) {
    return (form.dataset[name] || "").replace("{count}", String(count()));
  }
  function row(id) { return form.querySelector('.attendance-row[data-enrolment="' + id + '"]'); }
  function field(id, name) { return form.querySelector('[name="' + name + "_" + id + '"]'); }

  function showPending() {
    form.querySelectorAll(".attendance-row").forEach(function (li) {
      var waiting = Object.prototype.hasOwnProperty.call(pending, li.dataset.enrolment);
      li.classList.toggle("is-pending", waiting);
      li.querySelector('[data-role="pending"]').textContent = waiting ? "· " + form.dataset.msgUnsavedRow : "";
    });
  }
  function showError(id, text) {
    var li = row(id);
    if (!li) { return; }
    var box = li.querySelector('[data-role="error"]');
    box.textContent = text || "";
    box.hidden = !text;
  }

  /* The current mark of a row as the form shows it. */
  function markOf(id, what) {
    var mark = pending[id] || { enrolment: Number(id) };
    if (what === "attendance" || what === "hours") {
      var checked = form.querySelector('input[name="mark_' + id + '"]:checked');
      if (!checked) { return null; }
      mark.attendance = checked.value;
      var hours = field(id, "hours");
      mark.hours = checked.value === "present" && hours ? hours.value.trim() : null;
    }
    if (what === "score") {
      var score = field(id, "score");
      mark.score = score && score.value.trim() !== "" ? score.value.trim() : null;
    }
    return mark;
  }

  function queue(id, what) {
    var mark = markOf(id, what);
    if (!mark) { return; }
    mark.marked_at = serverNow();
    pending[id] = mark;
    showError(id, "");
    store();
    showPending();
    flush();
  }

  function retryLater() {
    if (timer) { return; }
    timer = window.setTimeout(function () { timer = null; flush(); }, delay);
    delay = Math.min(delay * 2, 60000);
  }

  function applyRows(rows) {
    Object.keys(rows).forEach(function (id) {
      var li = row(id);
      if (!li) { return; }
      li.querySelector('[data-role="status"]').textContent = rows[id].status;
      li.querySelector('[data-role="result"]').textContent = rows[id].result ? "· " + rows[id].result : "";
    });
  }

  /* The form shows what the server kept (for a mark that was not saved). */
  function showServerState(id, row) {
    if (!row || pending[id]) { return; }
    form.querySelectorAll('input[name="mark_' + id + '"]').forEach(function (radio) {
      radio.checked = row.attendance === "absent" ? radio.value === "absent"
        : row.attendance ? radio.value === "present" : false;
    });
    var hours = field(id, "hours");
    if (hours && row.attendance && row.attendance !== "absent") { hours.value = row.hours; }
    var score = field(id, "score");
    if (score) { score.value = row.score === null || row.score === undefined ? "" : row.score; }
  }

  function flush() {
    if (inFlight) { return; }
    if (!count()) { say(message("msgSaved"), true); return; }
    inFlight = true;
    var sent = JSON.stringify(pending);
    var batch = JSON.parse(sent);
    say(message("msgSaving"));
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify({ marks: Object.keys(batch).map(function (id) { return batch[id]; }) })
    }).then(function (response) {
      if (response.type === "opaqueredirect" || response.status === 401) {
        inFlight = false;
        say(message("msgSignedOut"));
        retryLater();
        return null;
      }
      return response.json().then(function (body) {
        return { status: response.status, body: body };
      }, function () { return { status: response.status, body: null }; });
    }).then(function (answer) {
      if (!answer) { return; }
      inFlight = false;
      if (answer.status === 200 && answer.body) {
        /* Forget what was sent unless it changed while the request was on its way. */
        Object.keys(batch).forEach(function (id) {
          if (JSON.stringify(pending[id]) === JSON.stringify(batch[id])) { delete pending[id]; }
        });
        applyRows(answer.body.rows || {});
        (answer.body.stale || []).forEach(function (id) {
          showServerState(id, (answer.body.rows || {})[id]);
          showError(id, form.dataset.msgStale);
        });
        delay = 2000;
        store();
        showPending();
        if (count()) { flush(); return; }
        if ((answer.body.stale || []).length) { say(message("msgInvalid")); return; }
        say(message("msgSaved"), true);
      } else if (answer.status === 400 && answer.body && answer.body.error) {
        /* Marks refused one by one never succeed: show why, drop them, send the rest. */
        var fields = answer.body.error.fields || {};
        var refused = Object.keys(fields);
        if (!refused.length) { say(answer.body.error.message); pending = {}; store(); showPending(); return; }
        refused.forEach(function (id) { showError(id, fields[id].join(" ")); delete pending[id]; });
        store();
        showPending();
        say(message("msgInvalid"));
        if (count()) { flush(); }
      } else if (answer.status === 409 || answer.status === 403 || answer.status === 404) {
        /* The session takes no marks now (results closed, cancelled, no longer allowed). */
        var reason = answer.body && answer.body.error ? answer.body.error.message : "";
        say(reason);
        pending = {};
        store();
        showPending();
      } else {
        say(message("msgPending"));
        retryLater();
      }
    }).catch(function () {
      inFlight = false;
      say(message("msgPending"));
      retryLater();
    });
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    var li = target.closest(".attendance-row");
    if (!li) { return; }
    var id = li.dataset.enrolment;
    if (target.name === "mark_" + id) { queue(id, "attendance"); }
    else if (target.name === "hours_" + id) { queue(id, "hours"); }
    else if (target.name === "score_" + id) { queue(id, "score"); }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    form.querySelectorAll(".attendance-row").forEach(function (li) {
      var id = li.dataset.enrolment;
      var mark = markOf(id, "attendance");
      if (mark) { mark.marked_at = serverNow(); pending[id] = mark; }
    });
    store();
    showPending();
    flush();
  });

  window.addEventListener("online", function () {
    delay = 2000;
    if (timer) { window.clearTimeout(timer); timer = null; }
    flush();
  });

  /* Marks left from an earlier visit (the page was closed while offline): show and send. */
  Object.keys(pending).forEach(function (id) {
    var mark = pending[id];
    if (mark.attendance) {
      var radio = form.querySelector('input[name="mark_' + id + '"][value="' + (mark.attendance === "absent" ? "absent" : "present") + '"]');
      if (radio) { radio.checked = true; }
      var hours = field(id, "hours");
      if (hours && mark.hours) { hours.value = mark.hours; }
    }
    if ("score" in mark) {
      var score = field(id, "score");
      if (score) { score.value = mark.score === null ? "" : mark.score; }
    }
  });
  showPending();
  if (count()) { flush(); }
})();
