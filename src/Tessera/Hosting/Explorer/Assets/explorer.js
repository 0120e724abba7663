// Tessera's explorer: the service's methods from its OpenRPC document, a form to call each one, sign-in, a live view
// of topics and live per-method metrics from /_tessera/metrics.json. Served by the service itself, no dependencies,
// no inline script (the page's Content-Security-Policy forbids it). Every text from the service goes in as text.

const base = new URL("../", location.href);            // the service's root: the explorer lives at {root}/_tessera/
const state = { session: null, user: null, description: null, selected: null, source: null };

const $ = (id) => document.getElementById(id);
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("data-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

function headers(extra = {}) {
  const result = { "Content-Type": "application/json", ...extra };
  if (state.session) result["x-toto-session-id"] = state.session;
  const token = $("api-token").value.trim();
  if (token) result["X-Api-Token"] = token;
  return result;
}

async function rpc(method, params) {
  const response = await fetch(new URL("api", base), { method: "POST", headers: headers(), body: JSON.stringify({ jsonrpc: "2.0", method, params, id: 1 }) });
  const answer = await response.json();
  if (answer.error) throw Object.assign(new Error(answer.error.message), { code: answer.error.code, data: answer.error.data });
  return answer.result;
}

// ---- methods ---------------------------------------------------------------------------------------------------

function typeOf(schema) {
  if (!schema || typeof schema !== "object") return "any";
  const types = [].concat(schema.type ?? "any").filter((t) => t !== "null");
  const type = types.join("|") || "null";
  return type === "array" ? `${typeOf(schema.items)}[]` : type;
}

function rules(schema) {
  const keywords = ["minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems", "pattern", "format", "enum"];
  return keywords.filter((k) => schema && k in schema).map((k) => `${k} ${JSON.stringify(schema[k])}`).join(", ");
}

function renderMethodList() {
  const filter = $("filter").value.trim().toLowerCase();
  const groups = new Map();
  for (const method of state.description.methods) {
    if (filter && !method.name.toLowerCase().includes(filter)) continue;
    const group = method.name.includes(".") ? method.name.slice(0, method.name.lastIndexOf(".")) : "(top level)";
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group).push(method);
  }
  const list = $("methods");
  list.replaceChildren(...[...groups].map(([group, methods]) =>
    el("details", { open: true }, el("summary", {}, group),
      methods.map((m) => el("button", {
        type: "button", class: "method" + (state.selected === m ? " selected" : ""), "data-method": m.name, title: m.description ?? "",
        onclick: () => select(m),
      }, m.name.slice(m.name.lastIndexOf(".") + 1))))));
}

function select(method) {
  state.selected = method;
  renderMethodList();
  const access = method["x-tessera-access"]?.summary ?? "public";
  const form = el("form", { class: "call", id: "call-form" });
  const inputs = method.params.map((p) => {
    const type = typeOf(p.schema);
    const input = type === "boolean" ? el("input", { type: "checkbox", name: p.name })
      : type === "object" || type.endsWith("[]") ? el("textarea", { name: p.name, placeholder: "JSON" })
        : el("input", { type: "text", name: p.name, placeholder: type });
    form.append(el("label", {}, `${p.name}${p.required ? "" : " (optional)"}: ${type}`), input);
    return { p, type, input };
  });
  const raw = el("textarea", { id: "raw", hidden: true, placeholder: '{"a": 1}' });
  const rawToggle = el("input", { type: "checkbox", id: "raw-toggle", onchange: () => { raw.hidden = !rawToggle.checked; } });
  const wire = el("select", { id: "wire" }, el("option", { value: "jsonrpc" }, "JSON-RPC (/api)"), el("option", { value: "toto" }, "URL-style (POST /" + method.name.replaceAll(".", "/") + ")"));
  const answer = el("pre", { id: "answer" });
  const exchange = el("pre", { id: "exchange" });
  const took = el("span", { id: "took", class: "muted" });
  form.append(el("div", { class: "row" }, el("label", {}, rawToggle, " raw JSON"), wire, el("button", { id: "call", type: "submit" }, "Call"), took), raw);
  form.onsubmit = async (event) => {
    event.preventDefault();
    let params;
    try {
      params = rawToggle.checked ? JSON.parse(raw.value || "{}") : collect(inputs);
    } catch (error) {
      show(answer, `Not JSON: ${error.message}`, true);
      return;
    }
    await call(method, params, wire.value, answer, exchange, took);
  };
  $("method").replaceChildren(
    el("h3", {}, method.name), el("span", { class: "access", id: "access" }, access),
    el("p", {}, method.description ?? ""),
    el("table", {}, el("tr", {}, el("th", {}, "parameter"), el("th", {}, "type"), el("th", {}, "rules"), el("th", {}, "")),
      method.params.map((p) => el("tr", {}, el("td", {}, p.name + (p.required ? "" : "?")), el("td", {}, typeOf(p.schema)),
        el("td", { class: "rules" }, rules(p.schema)), el("td", {}, p.description ?? "")))),
    el("p", {}, "result: ", el("code", {}, typeOf(method.result?.schema))),
    method.errors ? el("p", {}, "errors: ", method.errors.map((e) => `${e.code} ${e.message}`).join("; ")) : "",
    form, el("h2", {}, "Answer"), answer, el("h2", {}, "HTTP exchange"), exchange);
}

function collect(inputs) {
  const params = {};
  for (const { p, type, input } of inputs) {
    if (type === "boolean") { params[p.name] = input.checked; continue; }
    const text = input.value;
    if (text === "" && !p.required) continue;
    if (type === "integer" || type === "number") {
      // Sent as typed; a value that is not a number goes as text, and the service says what is wrong (1003).
      params[p.name] = text.trim() !== "" && !Number.isNaN(Number(text)) ? Number(text) : text;
    } else if (type === "string") {
      params[p.name] = text;
    } else {
      params[p.name] = JSON.parse(text || "null");
    }
  }
  return params;
}

function show(target, text, isError = false) {
  target.textContent = text;
  target.classList.toggle("error", isError);
}

async function call(method, params, wire, answer, exchange, took) {
  const url = wire === "toto" ? new URL(method.name.replaceAll(".", "/"), base) : new URL("api", base);
  const body = JSON.stringify(wire === "toto" ? params : { jsonrpc: "2.0", method: method.name, params, id: 1 });
  const requestHeaders = headers();
  const started = performance.now();
  try {
    const response = await fetch(url, { method: "POST", headers: requestHeaders, body });
    const text = await response.text();
    took.textContent = `${(performance.now() - started).toFixed(1)} ms`;
    let parsed = null;
    try { parsed = JSON.parse(text); } catch { /* not JSON: shown as it came */ }
    const error = parsed?.error;
    const value = error && (error.message ?? (typeof error.value === "string" ? error.value : JSON.stringify(error.value)));
    const shown = error ? `error ${error.code}: ${value}${error.data ? "\n" + (typeof error.data === "string" ? error.data : JSON.stringify(error.data)) : ""}`
      : parsed && "result" in parsed ? JSON.stringify(parsed.result, null, 2) : text || "(empty: the method answers nothing)";
    show(answer, shown, !!error);
    const responseHeaders = [...response.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
    exchange.textContent = `POST ${url.pathname}\n${Object.entries(requestHeaders).map(([k, v]) => `${k}: ${v}`).join("\n")}\n\n${body}\n\n`
      + `HTTP ${response.status} ${response.statusText}\n${responseHeaders}\n\n${text}`;
  } catch (error) {
    took.textContent = "";
    show(answer, `no answer: ${error.message}`, true);
  }
}

// ---- sessions --------------------------------------------------------------------------------------------------

$("sign-in-form").onsubmit = async (event) => {
  event.preventDefault();
  try {
    const result = await rpc("account.login", { user_id: $("user").value, password: $("password").value });
    state.session = result.session_id;
    state.user = result.user_id;
    $("who").textContent = `signed in as ${result.user_id}`;
    $("sign-out").hidden = false;
    $("password").value = "";
  } catch (error) {
    $("who").textContent = `sign-in refused: ${error.code} ${error.message}`;
  }
};

$("sign-out").onclick = async () => {
  try { await rpc("account.logout", {}); } catch { /* the session may be gone already */ }
  state.session = null;
  $("who").textContent = "not signed in";
  $("sign-out").hidden = true;
};

// ---- topics ----------------------------------------------------------------------------------------------------

$("topic-form").onsubmit = (event) => {
  event.preventDefault();
  state.source?.abort();
  const controller = new AbortController();
  state.source = controller;
  follow($("topics").value, controller.signal);
};

// Reads /events through fetch (EventSource only hears exact topics, and cannot send the session header), and opens it
// again with Last-Event-ID when it drops.
async function follow(topics, signal) {
  const list = $("events");
  const url = new URL("events", base);
  url.searchParams.set("topics", topics);
  let last;
  while (!signal.aborted) {
    try {
      const response = await fetch(url, { headers: { ...headers(), Accept: "text/event-stream", ...(last ? { "Last-Event-ID": last } : {}) }, signal });
      if (!response.ok) {
        list.prepend(el("li", { class: "muted" }, `refused: HTTP ${response.status} ${await response.text()}`));
        return;
      }
      list.prepend(el("li", { class: "muted" }, `subscribed to ${topics}`));
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "", id = "", type = "", data = [];
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let newline;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, "");
          buffer = buffer.slice(newline + 1);
          if (line === "") {
            if (data.length) {
              last = id;
              list.prepend(el("li", { "data-topic": type }, `${id} ${type} ${data.join("\n")}`));
            }
            id = type = "";
            data = [];
          } else if (line.startsWith("id:")) id = line.slice(3).trim();
          else if (line.startsWith("event:")) type = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).trim());
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

// ---- live metrics ----------------------------------------------------------------------------------------------

const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
}

function line(values, max, className) {
  const points = values.map((v, i) => `${(i / (values.length - 1)) * 120},${40 - ((v ?? 0) / (max || 1)) * 38}`).join(" ");
  return svg("polyline", { points, class: className });
}

async function refreshMetrics() {
  try {
    const response = await fetch(new URL("_tessera/metrics.json", base));
    if (!response.ok) return;
    const { methods } = await response.json();
    const charts = Object.entries(methods)
      .filter(([, seconds]) => seconds.some((s) => s.calls > 0))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, seconds]) => {
        const calls = seconds.map((s) => s.calls);
        const errors = seconds.map((s) => s.errors);
        const p50 = seconds.map((s) => s.p50);
        const p99 = seconds.map((s) => s.p99);
        const total = calls.reduce((a, b) => a + b, 0);
        const errorTotal = errors.reduce((a, b) => a + b, 0);
        const recent = seconds.slice(-10).filter((s) => s.p99 !== null);
        const maxLatency = Math.max(...p99.map((v) => v ?? 0));
        const chart = svg("svg", { viewBox: "0 0 120 44", preserveAspectRatio: "none", role: "img" });
        errors.forEach((e, i) => { if (e > 0) chart.append(svg("rect", { x: (i / errors.length) * 120, y: 40, width: 1, height: 4, class: "bar-errors" })); });
        chart.append(line(calls, Math.max(...calls), "line-calls"), line(p50, maxLatency, "line-p50"), line(p99, maxLatency, "line-p99"));
        const last = recent.at(-1);
        return el("div", { class: "chart", "data-metrics": name },
          el("div", {}, el("span", { class: "name" }, name), " ",
            el("span", { class: "legend" }, el("b", { class: "calls-total" }, String(total)), " calls, ",
              el("b", { class: "calls-per-second" }, String(calls.at(-2) ?? 0)), "/s, p50 ", el("b", {}, last ? `${last.p50} ms` : "-"),
              ", p99 ", el("b", {}, last ? `${last.p99} ms` : "-"), ", errors ", el("b", { class: "errors-total" }, String(errorTotal)))),
          chart);
      });
    $("metrics").replaceChildren(...(charts.length ? charts : [el("p", { class: "muted" }, "No calls yet.")]));
  } catch { /* the service went away for a moment: try again next second */ }
}

// ---- start -----------------------------------------------------------------------------------------------------

const description = await (await fetch(new URL("_tessera/openrpc.json", base))).json();
state.description = description;
$("title").textContent = `${description.info.title} ${description.info.version}`;
document.title = `${description.info.title}: Tessera explorer`;
$("filter").oninput = renderMethodList;
renderMethodList();
refreshMetrics();
setInterval(refreshMetrics, 1000);
