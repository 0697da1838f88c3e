// A workshop's live state for one screen: from the server's event stream, or by polling
// every 3 seconds where the stream cannot be held (no EventSource, an error, or silence).
// live.js (control view, projector) and vote.js (phones) pass what differs between them.
window.followFeed = function (urls, show, options) {
  "use strict";
  var POLL_MS = 3000;
  var SILENCE_MS = 35000; // the server sends at least a keep-alive every 15 s
  var pollTimer = null;
  var silenceTimer = null;
  var quiet = function () {};
  var onPolling = options.onPolling || quiet;
  var onLive = options.onLive || quiet;
  var onPollFailed = options.onPollFailed || quiet;

  function poll() {
    fetch(urls.poll, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : Promise.reject(response.status);
      })
      .then(show)
      .catch(onPollFailed);
  }

  function startPolling() {
    if (pollTimer === null) {
      onPolling();
      poll();
      pollTimer = window.setInterval(poll, POLL_MS);
    }
  }

  function stopPolling() {
    if (pollTimer !== null) {
      window.clearInterval(pollTimer);
      pollTimer = null;
    }
    onLive();
  }

  function watchSilence() {
    window.clearTimeout(silenceTimer);
    silenceTimer = window.setTimeout(startPolling, SILENCE_MS);
  }

  if (!window.EventSource) {
    startPolling();
    return;
  }
  var source = new EventSource(urls.stream);
  source.addEventListener("update", function (event) {
    stopPolling();
    watchSilence();
    show(JSON.parse(event.data));
  });
  source.addEventListener("error", startPolling); // EventSource reconnects by itself
  if (options.silenceFromStart) {
    source.addEventListener("open", watchSilence);
    watchSilence();
  }
};
