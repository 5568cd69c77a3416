/* iframe-worker: a small stand-in for Web Workers on pages opened from disk (file://).
 *
 * Browsers refuse `new Worker(url)` for file:// pages, which breaks the site search. The site's theme
 * looks for a polyfill whose name contains "iframe-worker" and otherwise loads one from a CDN; this file
 * is ours, so the site needs nothing from outside. On http(s) it does nothing.
 *
 * It runs the worker script in a hidden same-origin iframe and passes messages both ways. It supports
 * what the search worker uses: postMessage, addEventListener("message"), onmessage, terminate, and
 * importScripts, which here returns a promise (the search worker waits on it when it loads the stemmer of
 * a language other than English).
 */
(function () {
  "use strict";
  if (window.location.protocol !== "file:" || window.__readinessIframeWorker) return;
  window.__readinessIframeWorker = true;

  function IframeWorker(url) {
    var host = this;
    var hostListeners = [];
    var workerListeners = [];
    var pending = [];
    var ready = false;
    this.onmessage = null;
    this.onerror = null;

    var iframe = document.createElement("iframe");
    iframe.setAttribute("aria-hidden", "true");
    iframe.tabIndex = -1;
    iframe.style.display = "none";
    (document.body || document.documentElement).appendChild(iframe);
    var scope = iframe.contentWindow;

    function toHost(data) {
      setTimeout(function () {
        var event = { data: data, target: host };
        if (typeof host.onmessage === "function") host.onmessage(event);
        hostListeners.slice().forEach(function (fn) { fn.call(host, event); });
      }, 0);
    }
    function toWorker(data) {
      setTimeout(function () {
        var event = { data: data, target: scope };
        if (typeof scope.onmessage === "function") scope.onmessage(event);
        workerListeners.slice().forEach(function (fn) { fn.call(scope, event); });
      }, 0);
    }

    // The worker's global scope: messages go to the page; listeners hear the page.
    scope.postMessage = function (data) { toHost(data); };
    scope.addEventListener = function (type, fn) { if (type === "message") workerListeners.push(fn); };
    scope.removeEventListener = function (type, fn) {
      if (type === "message") workerListeners = workerListeners.filter(function (f) { return f !== fn; });
    };
    scope.importScripts = function () {
      var urls = Array.prototype.slice.call(arguments);
      return urls.reduce(function (previous, url) {
        return previous.then(function () {
          return new Promise(function (resolve, reject) {
            var tag = scope.document.createElement("script");
            tag.src = new URL(url, script.src).href;
            tag.onload = function () { resolve(); };
            tag.onerror = function () { reject(new Error("could not load " + url)); };
            scope.document.head.appendChild(tag);
          });
        });
      }, Promise.resolve());
    };

    this.addEventListener = function (type, fn) {
      if (type === "message") hostListeners.push(fn);
    };
    this.removeEventListener = function (type, fn) {
      if (type === "message") hostListeners = hostListeners.filter(function (f) { return f !== fn; });
    };
    this.postMessage = function (data) {
      if (ready) toWorker(data); else pending.push(data);
    };
    this.terminate = function () {
      if (iframe.parentNode) iframe.parentNode.removeChild(iframe);
    };

    var script = scope.document.createElement("script");
    script.src = new URL(url, document.baseURI).href;
    script.onload = function () {
      ready = true;
      pending.splice(0).forEach(toWorker);
    };
    script.onerror = function (error) {
      if (typeof host.onerror === "function") host.onerror(error);
    };
    scope.document.head.appendChild(script);
  }

  window.Worker = IframeWorker;
  window.IFrameWorker = IframeWorker;  // the search worker looks for this name to find its language files
})();
