// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  function sentences(bullet) {
    var ids = (bullet.getAttribute("data-sources") || "").split(" ");
    var out = [];
    ids.forEach(function (id) {
      var el = id && document.getElementById("s" + id);
      if (el) { out.push(el); }
    });
    return out;
  }

  function highlight(bullet, on) {
    bullet.classList.toggle("active", on);
    sentences(bullet).forEach(function (el) { el.classList.toggle("hl", on); });
  }

  document.querySelectorAll(".bullet").forEach(function (bullet) {
    bullet.addEventListener("mouseenter", function () { highlight(bullet, true); });
    bullet.addEventListener("mouseleave", function () { highlight(bullet, false); });
    bullet.addEventListener("focus", function () { highlight(bullet, true); });
    bullet.addEventListener("blur", function () { highlight(bullet, false); });
    bullet.addEventListener("click", function (event) {
      if (event.target.closest("a")) { return; }
      var first = sentences(bullet)[0];
      highlight(bullet, true);
      if (first) { first.scrollIntoView({ behavior: "smooth", block: "center" }); }
    });
  });

  var form = document.querySelector(".feedback-form");
  if (!form || !window.fetch) { return; }
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button) { return; }
    event.preventDefault();
    var data = new URLSearchParams(new FormData(form));
    data.set("useful", button.value);
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      form.querySelector(".buttons").hidden = true;
      form.querySelector("details").hidden = true;
      form.querySelector(".thanks").hidden = false;
      form.setAttribute("data-sent", "1");
    }).catch(function () {
      // Fall back to the plain form post, which shows the server's answer.
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "useful";
      hidden.value = button.value;
      form.appendChild(hidden);
      HTMLFormElement.prototype.submit.call(form);
    });
  });
})();
