"""The applicant's page of the reference hall (``GET /apply``).

One self-contained HTML page, no build step: choose an item, fill in the
applicant — a person, or an organisation with its unified social credit code and
legal representative (the kinds and ID types from the contract's code tables,
``GET /applicant/codes``) — attach a file per material, submit; then (or later, with the
application number and query code kept in the address) see the state and the
clerk's message.  It talks only to the public API the page's server offers.
"""

PAGE_HTML = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>网上办事大厅 · 网上申报</title>
<style>
 body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em auto;
        max-width: 46em; color: #222; }
 fieldset { margin-bottom: 1em; } label { display: block; margin: .4em 0; }
 input[type=text] { width: 20em; } .error { color: #b00020; } .state { font-weight: bold; }
 #missing li { color: #b00020; } .signed { color: #1b5e20; }
</style>
</head>
<body>
<h1>网上申报</h1>
<form id="apply">
 <fieldset><legend>选择事项</legend>
  <label>事项 <select id="item" required></select></label>
 </fieldset>
 <fieldset><legend>申请人</legend>
  <label>申请人类型 <select id="kind"></select></label>
  <div id="person_fields">
   <label>姓名 <input type="text" id="name"></label>
   <label>证件类型 <select id="id_type" class="person-id-type"></select></label>
   <label>证件号码 <input type="text" id="id_number" maxlength="50"></label>
  </div>
  <div id="organisation_fields" hidden>
   <label>单位名称 <input type="text" id="org_name"></label>
   <label>统一社会信用代码 <input type="text" id="uscc" maxlength="18"></label>
   <label>法定代表人姓名 <input type="text" id="rep_name"></label>
   <label>法定代表人证件类型 <select id="rep_id_type" class="person-id-type"></select></label>
   <label>法定代表人证件号码 <input type="text" id="rep_id_number" maxlength="50"></label>
  </div>
  <label>联系电话 <input type="text" id="phone"></label>
  <label>地址 <input type="text" id="address"></label>
 </fieldset>
 <fieldset><legend>申请材料</legend><div id="materials"></div></fieldset>
 <button type="submit" id="submit">提交申请</button>
 <ul id="errors" class="error"></ul>
</form>
<section id="result" hidden>
 <h2>申请 <span id="app_id"></span></h2>
 <p>事项：<span id="app_item"></span></p>
 <p>状态：<span id="app_state" class="state"></span>（第 <span id="app_round"></span> 次提交）</p>
 <p>窗口意见：<span id="app_message"></span></p>
 <p id="basis_line" hidden>法律依据：<span id="app_basis"></span></p>
 <p id="decided_line" hidden>预审人：<span id="app_decided_by"></span>（<span
  id="app_decided_at"></span>）· <span id="app_signed"></span></p>
 <ul id="missing"></ul>
 <p>请保存本页地址，凭申请编号和查询码查看办理情况。</p>
 <button id="refresh" type="button">刷新状态</button>
</section>
<script>
const api = "/api/v1";
let items = [];
function el(id) { return document.getElementById(id); }
function showMaterials() {
  const item = items[el("item").selectedIndex];
  const box = el("materials"); box.textContent = "";
  (item ? item.materials : []).forEach((m, i) => {
    const label = document.createElement("label");
    label.textContent = m.name + (m.required === true ? "（必要）" : "") + " ";
    const input = document.createElement("input");
    input.type = "file"; input.multiple = true; input.dataset.materialId = m.id;
    input.id = "material-" + m.id; input.accept = ".pdf,.jpg,.jpeg,.png";
    label.appendChild(input); box.appendChild(label);
  });
}
function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result.split(",", 2)[1] || "");
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}
function showKind() {
  const organisation = el("kind").value === "organisation";
  el("person_fields").hidden = organisation;
  el("organisation_fields").hidden = !organisation;
}
// Kinds of applicant and of ID document come from the hall (its contract's code tables).
async function loadCodes() {
  const codes = await (await fetch(api + "/applicant/codes")).json();
  codes.applicant_kind.forEach(entry => {
    el("kind").add(new Option(entry.name, entry.code));
  });
  document.querySelectorAll("select.person-id-type").forEach(select => {
    codes.person_id_type.forEach(entry => select.add(new Option(entry.name, entry.code)));
  });
  showKind();
}
function applicantFromForm() {
  const shared = {phone: el("phone").value, address: el("address").value};
  if (el("kind").value === "organisation") {
    return {kind: "organisation", name: el("org_name").value,
            uscc: el("uscc").value.trim().toUpperCase(), ...shared,
            legal_rep: {name: el("rep_name").value, id_type: el("rep_id_type").value,
                        id_number: el("rep_id_number").value}};
  }
  return {kind: "person", name: el("name").value, id_type: el("id_type").value,
          id_number: el("id_number").value, ...shared};
}
async function loadItems() {
  const answer = await fetch(api + "/applicant/items?limit=200");
  items = (await answer.json()).items;
  const select = el("item");
  items.forEach(item => {
    const option = document.createElement("option");
    option.textContent = item.name + " — " + item.dept_name;
    select.appendChild(option);
  });
  showMaterials();
}
async function showStatus() {
  const params = new URLSearchParams(location.hash.slice(1));
  const id = params.get("id"), key = params.get("key");
  if (!id || !key) return;
  const answer = await fetch(api + "/applications/" + encodeURIComponent(id) + "/status",
                             {headers: {"Application-Key": key}});
  if (!answer.ok) { el("errors").textContent = "查询失败：申请编号或查询码不对"; return; }
  const view = await answer.json();
  el("result").hidden = false;
  el("app_id").textContent = view.id;
  el("app_item").textContent = view.item_name;
  el("app_state").textContent = view.state_label;
  el("app_round").textContent = view.round;
  el("app_message").textContent = view.message || "（尚无）";
  el("basis_line").hidden = !view.basis;
  el("app_basis").textContent = view.basis;
  el("decided_line").hidden = !view.decided_by;
  el("app_decided_by").textContent = view.decided_by || "";
  el("app_decided_at").textContent = view.decided_at ? new Date(view.decided_at)
    .toLocaleString("zh-CN", {timeZone: "Asia/Shanghai", hour12: false}) : "";
  el("app_signed").textContent = view.signed
    ? "窗口电子签名已验证（" + view.signature_algorithm + "，公钥指纹 "
      + view.key_fingerprint + "）"
    : "未签名";
  el("app_signed").className = view.signed ? "signed" : "error";
  const missing = el("missing"); missing.textContent = "";
  view.missing.forEach(m => {
    const li = document.createElement("li"); li.textContent = "请补交：" + m.name;
    missing.appendChild(li);
  });
}
el("item").addEventListener("change", showMaterials);
el("kind").addEventListener("change", showKind);
el("refresh").addEventListener("click", showStatus);
el("apply").addEventListener("submit", async event => {
  event.preventDefault();
  el("errors").textContent = "";
  const item = items[el("item").selectedIndex];
  const materials = [];
  for (const input of document.querySelectorAll("#materials input[type=file]")) {
    if (!input.files.length) continue;
    const files = [];
    for (const file of input.files) {
      files.push({name: file.name, content_base64: await readBase64(file)});
    }
    materials.push({material_id: input.dataset.materialId, files});
  }
  const params = new URLSearchParams(location.hash.slice(1));
  const body = {
    ref: "web-" + (crypto.randomUUID ? crypto.randomUUID() : String(Date.now())),
    task_code: item.task_code, handle_item_code: item.handle_item_code,
    applicant: applicantFromForm(),
    materials,
  };
  const answer = await fetch(api + "/applications", {method: "POST",
    headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
  const result = await answer.json();
  if (!result.ok) {
    (result.errors || [{message: result.detail || "提交失败"}]).forEach(e => {
      const li = document.createElement("li"); li.textContent = e.message;
      el("errors").appendChild(li);
    });
    return;
  }
  location.hash = "id=" + encodeURIComponent(result.id) + "&key="
    + encodeURIComponent(result.access_key || params.get("key") || "");
  await showStatus();
});
Promise.all([loadCodes(), loadItems()]).then(showStatus);
</script>
</body>
</html>
"""
