/* Dev server only (LIVE_RELOAD in pelicanconf.py): reload this page once a rebuild changed
   it, its stylesheets or its scripts. The dev server names each file's exact version in a
   Server-Timing header; the page knows the versions it was shown, so a rebuild that ends
   before the first check still counts. The build writes only files whose bytes change. */
(function () {
  "use strict";
  function version(text) {
    var found = /file;desc="?([^";,]+)/.exec(text || "");
    return found ? found[1] : null;
  }
  function shownVersion(entry) {
    var timing = (entry && entry.serverTiming || []).filter(function (t) { return t.name === "file"; })[0];
    return timing ? timing.description : null;
  }
  var watched = [{ url: location.href, shown: shownVersion(performance.getEntriesByType("navigation")[0]) }];
  Array.prototype.forEach.call(document.querySelectorAll("link[rel=stylesheet], script[src]"), function (element) {
    var url = element.href || element.src;
    watched.push({ url: url, shown: shownVersion(performance.getEntriesByName(url)[0]) });
  });

  function current(item) {
    return fetch(item.url, { method: "HEAD", cache: "no-store" }).then(function (response) {
      return response.ok ? version(response.headers.get("Server-Timing")) : "gone";
    });
  }

  function check() {
    Promise.all(watched.map(current)).then(function (versions) {
      var changed = watched.some(function (item, index) {
        if (item.shown === null) { item.shown = versions[index]; }  // a server without versions
        return versions[index] !== item.shown;
      });
      if (changed) { location.reload(); } else { setTimeout(check, 1000); }
    }, function () { setTimeout(check, 2000); });  // the dev server restarting
  }
  check();
})();
