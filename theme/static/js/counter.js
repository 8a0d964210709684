/* Visitor counter: one beacon per page view, a heartbeat while the page is visible, and
   live figures in the footer. No cookies, nothing stored in the browser. */
(function () {
  "use strict";
  var box = document.querySelector("[data-counter-endpoint]");
  if (!box || !window.fetch) { return; }
  var endpoint = box.getAttribute("data-counter-endpoint");
  var heartbeat = Number(box.getAttribute("data-counter-heartbeat")) * 1000;
  var format = new Intl.NumberFormat("vi-VN");

  function send(isHeartbeat) {
    var body = JSON.stringify({ p: location.pathname, h: isHeartbeat, w: navigator.webdriver === true });
    var sent = navigator.sendBeacon &&
      navigator.sendBeacon(endpoint + "/hit", new Blob([body], { type: "text/plain" }));
    if (!sent) {
      fetch(endpoint + "/hit", { method: "POST", body: body, keepalive: true, mode: "no-cors",
        headers: { "Content-Type": "text/plain" } }).catch(function () {});
    }
  }

  function show(figures) {
    ["total", "today", "online"].forEach(function (name) {
      var element = box.querySelector('[data-counter="' + name + '"]');
      if (element && typeof figures[name] === "number") {
        element.textContent = format.format(figures[name]);
      }
    });
  }

  function refresh() {
    fetch(endpoint + "/counts", { cache: "no-store" })
      .then(function (reply) { return reply.ok ? reply.json() : null; })
      .then(function (figures) { if (figures) { show(figures); } })
      .catch(function () {});
  }

  function start() {
    send(false);
    setTimeout(refresh, 600);
    if (heartbeat > 0) {
      setInterval(function () {
        if (document.visibilityState === "visible") { send(true); refresh(); }
      }, heartbeat);
    }
  }

  if (document.prerendering) {
    document.addEventListener("prerenderingchange", start, { once: true });
  } else {
    start();
  }
})();
