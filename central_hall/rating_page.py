"""The applicant's rating page (``GET /rate?c=NUMBER&s=SIGNATURE``), opened by the
QR code on the receipt: five levels (GB/T 39046 A.8), a comment, one post."""

PAGE_HTML = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>网上办事大厅 · 服务评价</title>
<style>
 body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 1.5em auto;
        max-width: 30em; color: #222; padding: 0 1em; }
 label { display: block; margin: .5em 0; font-size: 1.1em; }
 textarea { width: 100%; height: 5em; } .error { color: #b00020; } .done { color: #1b5e20; }
 button { font-size: 1.1em; padding: .4em 1.5em; }
</style>
</head>
<body>
<h1>服务评价（好差评）</h1>
<p>办件编号：<span id="number"></span></p>
<form id="rate">
 <label><input type="radio" name="level" value="1"> 非常满意</label>
 <label><input type="radio" name="level" value="2"> 满意</label>
 <label><input type="radio" name="level" value="3"> 基本满意</label>
 <label><input type="radio" name="level" value="4"> 不满意</label>
 <label><input type="radio" name="level" value="5"> 非常不满意</label>
 <label>评价意见（不满意、非常不满意请写明原因）
  <textarea id="comment" maxlength="500"></textarea></label>
 <button type="submit" id="submit">提交评价</button>
 <p id="error" class="error"></p>
</form>
<p id="done" class="done" hidden></p>
<script>
const params = new URLSearchParams(location.search);
const number = params.get("c") || "", signature = params.get("s") || "";
document.getElementById("number").textContent = number;
document.getElementById("rate").addEventListener("submit", async (event) => {
  event.preventDefault();
  const error = document.getElementById("error");
  const chosen = document.querySelector("input[name=level]:checked");
  if (!chosen) { error.textContent = "请选择评价等级"; return; }
  const comment = document.getElementById("comment").value.trim();
  if (Number(chosen.value) >= 4 && !comment) { error.textContent = "请写明不满意的原因"; return; }
  const answer = await fetch("/api/v1/rate", {method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify({case_number: number, signature: signature,
                          level_code: Number(chosen.value), comment: comment})});
  const body = await answer.json().catch(() => ({}));
  if (!answer.ok) { error.textContent = body.detail || "提交失败，请稍后再试"; return; }
  document.getElementById("rate").hidden = true;
  const done = document.getElementById("done");
  done.textContent = "感谢您的评价：" + body.level; done.hidden = false;
});
</script>
</body>
</html>
"""
