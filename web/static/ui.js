// lexscreen's own script: small enhancements on top of htmx. Every page
// works without it.
"use strict";
document.addEventListener("htmx:configRequest", function (e) {
  // State-changing htmx requests carry the session's CSRF token (the API checks it).
  var meta = document.querySelector('input[name="csrf_token"]');
  if (meta && e.detail.verb !== "get") {
    e.detail.headers["X-CSRF-Token"] = meta.value;
  }
});
document.addEventListener("htmx:afterSwap", function (e) {
  // Move focus to the new content's heading, so keyboard and screen-reader
  // users land on what changed.
  var h = e.detail.target.querySelector("h1, h2, [data-focus]");
  if (h && e.detail.target.id === "content") {
    h.setAttribute("tabindex", "-1");
    h.focus();
  }
});
