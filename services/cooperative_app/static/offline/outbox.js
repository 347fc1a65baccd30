/* Nguồn cooperative app: the outbox. Records made on the phone are never lost.

   Every form[data-command] is turned, on submit, into the capture API's bulk item (its input
   names are the item's JSON paths: "quantity.amount" -> {quantity: {amount}}; a <select
   multiple>, a repeated name or a [data-list] wrapper naming it -> a list; numbered rows,
   "inputs.0.batch" -> a list of objects), given its own idempotency key and stored in
   IndexedDB FIRST; only then is it sent to /api/v1/bulk as the signed-in person
   (the session cookie; the server checks Origin). Without JavaScript the form posts as usual.

   A harvest made offline gets a ref ("o-<key>"); a later drying or shipment of it names
   "$o-<key>" as its batch, and the batch lists of forms offer such batches. Records are sent
   one per request, oldest first, and a "$ref" is replaced by the batch code once the record
   that creates it is stored: each request is then exactly the same however often it is
   retried (so its key replays the first answer), and a refusal holds back only that record
   and what depends on it, not everything recorded since.

   States: waiting -> sending -> stored | refused; signin (the session ended: waits for the
   person to sign in, loses nothing). A network failure or a 5xx answer is retried with
   backoff, on the "online" event and whenever an app page loads. */
(() => {
  "use strict";
  const API = "/api/v1/bulk";
  const STORE = "records";
  const PENDING = ["waiting", "sending", "signin"];
  const MAX_DELAY = 60 * 1000; // a phone may try once a minute: a send is small
  const words = JSON.parse((document.getElementById("offline-words") || {}).textContent || "{}");
  const format = new Intl.NumberFormat(document.documentElement.lang || "vi");
  let flushing = false;
  let timer = null;

  // IndexedDB -------------------------------------------------------------------------------
  let opened = null;
  function db() {
    opened = opened || new Promise((resolve, reject) => {
      const request = indexedDB.open("nguon-outbox", 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return opened;
  }
  function tx(mode, work) {
    return db().then((base) => new Promise((resolve, reject) => {
      const t = base.transaction(STORE, mode);
      const result = work(t.objectStore(STORE));
      t.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      t.onerror = () => reject(t.error);
    }));
  }
  const put = (record) => tx("readwrite", (s) => s.put(record));
  const drop = (key) => tx("readwrite", (s) => s.delete(key));
  const get = (key) => tx("readonly", (s) => s.get(key));
  const all = () => tx("readonly", (s) => s.getAll())
    .then((rows) => rows.sort((a, b) => a.created - b.created));

  // A form -> a bulk item --------------------------------------------------------------------
  // A digit-only segment is a list index (``inputs.0.batch``): its parent is a list.
  function assign(target, path, value, asList) {
    const parts = path.split(".");
    let here = target;
    parts.slice(0, -1).forEach((p, i) => {
      here = here[p] = here[p] || (/^\d+$/.test(parts[i + 1]) ? [] : {});
    });
    const last = parts[parts.length - 1];
    if (asList) (here[last] = here[last] || []).push(value);
    else here[last] = value;
  }
  // Rows left empty leave holes in their list: the API wants the rows given, in order.
  function compact(value) {
    if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(compact);
    if (value && typeof value === "object") {
      for (const k of Object.keys(value)) value[k] = compact(value[k]);
    }
    return value;
  }
  function itemOf(form) {
    const skip = new Set((form.dataset.outboxSkip || "").split(/[\s,]+/).filter(Boolean));
    const fields = [];
    const counts = {};
    for (const el of form.elements) {
      if (!el.name || el.disabled || skip.has(el.name) || el.name === "csrf_token") continue;
      if (["submit", "button", "reset", "file"].includes(el.type)) continue;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) continue;
      const values = el.multiple ? [...el.selectedOptions].map((o) => o.value) : [el.value];
      const decimal = el.inputMode === "decimal";
      for (const raw of values) {
        const value = decimal ? raw.trim().replace(/\s/g, "").replace(",", ".") : raw.trim();
        // A [data-list] wrapper makes a list of the field it names (plot_ids), not of every
        // field inside it: numbered rows (inputs.0.batch) are a list of objects already.
        const wrapper = el.closest("[data-list]");
        const listed = !!wrapper && wrapper.dataset.list === el.name;
        fields.push({ name: el.name, value, list: el.multiple || listed });
        counts[el.name] = (counts[el.name] || 0) + 1;
      }
    }
    const item = { type: form.dataset.command };
    for (const f of fields) {
      const asList = f.list || counts[f.name] > 1;
      if (f.value === "" && !asList) continue; // left empty: the API's default
      if (f.value !== "") assign(item, f.name, f.value, asList);
    }
    return { item: compact(item), fields: fields.map((f) => [f.name, f.value]) };
  }
  function summary(form, item) {
    const title = (document.querySelector("main h1") || form.querySelector("button") || {})
      .textContent || item.type;
    // As the person reads them: 1.200,5 kg and 05/10/2026 in Vietnamese.
    const number = (v) => (Number.isFinite(Number(v)) ? format.format(Number(v)) : v);
    const day = (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? v.split("-").reverse().join("/") : v);
    const amount = item.quantity || item.quantity_after;
    const bits = [item.batch, amount && `${number(amount.amount)} ${amount.unit}`,
      item.harvested_on && day(item.harvested_on)].filter((b) => b && !String(b).startsWith("$"));
    return [title.trim(), ...bits].join(" · ");
  }

  async function record(form) {
    const { item, fields } = itemOf(form);
    const key = crypto.randomUUID();
    if (item.type === "harvest") item.ref = "o-" + key;
    const entry = {
      key, item, fields, state: "waiting", created: Date.now(), tries: 0, next: 0,
      label: summary(form, item), page: location.pathname + location.search,
    };
    await put(entry); // stored before anything is sent: a crash now loses nothing
    const fixing = form.dataset.outboxFixing;
    if (fixing) { await drop(fixing); delete form.dataset.outboxFixing; }
    return entry;
  }

  // Sending ------------------------------------------------------------------------------------
  function resolved(item, codes) {
    let missing = false;
    const swap = (v) => {
      if (typeof v === "string" && v.startsWith("$o-")) {
        if (codes[v.slice(1)]) return codes[v.slice(1)];
        missing = true;
      }
      return v;
    };
    const copy = {};
    for (const [k, v] of Object.entries(item)) copy[k] = Array.isArray(v) ? v.map(swap) : swap(v);
    return missing ? null : copy;
  }
  function later(entry) {
    entry.tries += 1;
    entry.next = Date.now() + Math.min(MAX_DELAY, 2000 * 2 ** entry.tries);
  }

  async function send(entry, codes) {
    const item = resolved(entry.item, codes);
    if (item === null) return "blocked"; // waits for the record whose batch it names
    entry.state = "sending";
    await put(entry);
    let answer;
    try {
      answer = await fetch(API, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          "Idempotency-Key": entry.key,
          "Accept-Language": document.documentElement.lang || "vi",
        },
        body: JSON.stringify({ commands: [item] }),
      });
    } catch (offline) {
      entry.state = "waiting"; later(entry); await put(entry);
      return "offline";
    }
    const body = await answer.json().catch(() => ({}));
    const error = body.error || {};
    if (answer.ok) {
      entry.state = "stored";
      entry.result = (body.results || [])[0] || {};
      entry.position = body.position;
      entry.reason = null;
    } else if (answer.status === 401 || error.code === "session_origin_refused") {
      entry.state = "signin";
    } else if ([400, 403, 404, 409, 422].includes(answer.status)) {
      entry.state = "refused";
      entry.reason = error.message || String(answer.status);
      entry.field = error.field || null;
      entry.code = error.code || null;
      entry.params = error.params || {};
    } else {
      entry.state = "waiting"; later(entry);
    }
    await put(entry);
    return entry.state;
  }

  async function flush(now) {
    if (flushing) return;
    flushing = true;
    try {
      const entries = await all();
      const codes = {};
      for (const e of entries) if (e.state === "stored" && e.item.ref) codes[e.item.ref] = e.result.code;
      for (const entry of entries) {
        if (!PENDING.includes(entry.state) || (!now && entry.next > Date.now())) continue;
        const outcome = await send(entry, codes);
        if (outcome === "stored" && entry.item.ref) codes[entry.item.ref] = entry.result.code;
        if (outcome === "offline" || outcome === "signin") break; // the others would fare alike
      }
    } finally {
      flushing = false;
      schedule();
      render();
    }
  }
  async function schedule() {
    clearTimeout(timer);
    const waiting = (await all()).filter((e) => e.state === "waiting");
    if (!waiting.length) return;
    const soonest = Math.min(...waiting.map((e) => e.next));
    timer = setTimeout(() => flush(false), Math.max(1000, soonest - Date.now()));
  }

  // Forms ----------------------------------------------------------------------------------
  function notice(form, entry) {
    let box = form.querySelector(".outbox-saved");
    if (!box) {
      box = document.createElement("p");
      box.className = "outbox-saved";
      box.setAttribute("role", "status");
      form.prepend(box);
    }
    box.textContent = `${words.saved || "✓"} ${entry.label} `;
    const link = document.createElement("a");
    link.href = "/app/outbox";
    link.textContent = words.saved_link || "/app/outbox";
    box.append(link);
  }
  // Where the form's own POST would have led: its confirmation page, as the server words it.
  function confirmation(form, entry) {
    const result = entry.result || {};
    const batch = resolved({ batch: entry.item.batch || "" }, {});
    const query = new URLSearchParams({
      code: result.code || (batch && batch.batch) || "",
      batch: (batch && batch.batch) || result.code || "",
      codes: (result.outputs || []).map((o) => o.code).join(","),
      after: String(entry.position || ""),
    });
    // A form whose page after saving is not "<its action>/done" names it in data-done.
    if (form.dataset.done) return form.dataset.done;
    return `${new URL(form.action).pathname}/done?${query}`;
  }
  // Every record goes into the outbox first, online or not, so that no network drop can lose
  // it. Online, it is sent at once: once stored, the person sees the form's confirmation page;
  // refused, the record leaves the outbox and the form is posted as without JavaScript, so the
  // server shows the refusal at its field with what was typed (a refused record stores
  // nothing, so posting it again cannot store it twice). Offline, it waits, and says so.
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.command) return;
    event.preventDefault();
    const entry = await record(form);
    if (navigator.onLine) {
      await flush(true);
      const now = await get(entry.key);
      if (now && now.state === "stored") { location.assign(confirmation(form, now)); return; }
      if (now && now.state === "refused") { await drop(now.key); form.submit(); return; }
    }
    form.reset();
    notice(form, entry);
    offerOfflineBatches();
    flush(true);
  });

  // Batches recorded offline are offered in the forms' batch lists, as "$o-<key>".
  async function offerOfflineBatches() {
    const selects = document.querySelectorAll("form[data-command] select[name=batch]");
    if (!selects.length) return;
    const pending = (await all()).filter((e) => e.item.ref && e.state !== "stored");
    for (const select of selects) {
      for (const e of pending) {
        const value = "$" + e.item.ref;
        if ([...select.options].some((o) => o.value === value)) continue;
        select.add(new Option(`${e.label} (${words.not_sent || "…"})`, value));
      }
    }
  }

  // A refused record re-opened in its form, prefilled: sending it again replaces it.
  async function prefill() {
    const match = location.hash.match(/^#outbox-fix=([\w-]+)$/);
    if (!match) return;
    const entry = (await all()).find((e) => e.key === match[1]);
    const form = entry && document.querySelector(`form[data-command="${entry.item.type}"]`);
    if (!form) return;
    await offerOfflineBatches();
    const seen = {};
    for (const [name, value] of entry.fields) {
      const els = [...form.elements].filter((el) => el.name === name);
      const index = seen[name] = (seen[name] || 0) + 1;
      const el = els.find((x) => x.multiple) || els[index - 1];
      if (!el) continue;
      if (el.multiple) [...el.options].forEach((o) => { if (o.value === value) o.selected = true; });
      else if (el.type === "checkbox" || el.type === "radio") el.checked = el.value === value;
      else el.value = value;
    }
    form.dataset.outboxFixing = entry.key;
    const box = document.createElement("p");
    box.className = "outbox-saved";
    box.setAttribute("role", "alert");
    box.textContent = `${words.fixing || ""} ${entry.reason || ""}`;
    form.prepend(box);
  }

  // The outbox page ---------------------------------------------------------------------------
  function row(entry) {
    const li = document.createElement("li");
    li.dataset.state = entry.state;
    li.dataset.key = entry.key;
    const state = document.createElement("span");
    state.className = "state";
    state.textContent = words[entry.state] || entry.state;
    const what = document.createElement("span");
    what.textContent = entry.label;
    li.append(state, what);
    if (entry.state === "stored" && entry.result && entry.result.code) {
      const link = document.createElement("a");
      link.href = `/app/lots/${encodeURIComponent(entry.result.code)}`;
      link.textContent = `${words.open_lot || ""} ${entry.result.code}`;
      li.append(document.createElement("br"), link);
    }
    if (entry.state === "refused") {
      const reason = document.createElement("span");
      reason.className = "reason";
      reason.textContent = entry.reason;
      const fix = document.createElement("a");
      fix.className = "button secondary";
      fix.href = `${entry.page}#outbox-fix=${entry.key}`;
      fix.textContent = words.fix || "fix";
      const discard = document.createElement("button");
      discard.type = "button";
      discard.className = "secondary";
      discard.textContent = words.discard || "discard";
      discard.addEventListener("click", async () => {
        if (confirm(words.discard_sure || "?")) { await drop(entry.key); render(); }
      });
      li.append(reason, fix, discard);
    }
    return li;
  }
  async function render() {
    const list = document.getElementById("outbox");
    if (!list) return;
    const entries = (await all()).reverse();
    list.replaceChildren(...entries.map(row));
    if (!entries.length) {
      const li = document.createElement("li");
      li.textContent = list.dataset.empty;
      list.append(li);
    }
    const signin = document.getElementById("outbox-signin");
    if (signin) signin.hidden = !entries.some((e) => e.state === "signin");
  }
  async function exportAll() {
    const blob = new Blob([JSON.stringify(await all(), null, 2)], { type: "application/json" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `nguon-outbox-${new Date().toISOString().slice(0, 10)}.json`;
    document.body.append(link);
    link.click();
    link.remove();
  }

  // Start -------------------------------------------------------------------------------------
  function start() {
    const sendNow = document.getElementById("outbox-send");
    if (sendNow) sendNow.addEventListener("click", () => flush(true));
    const exporting = document.getElementById("outbox-export");
    if (exporting) exporting.addEventListener("click", exportAll);
    offerOfflineBatches().then(prefill);
    render();
    flush(true);
  }
  window.addEventListener("online", () => flush(true));
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/app/sw.js", { scope: "/app/" });
  window.nguonOutbox = { all, flush, record };
  start();
})();
