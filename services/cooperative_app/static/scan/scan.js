/* Scan a batch's QR label with the phone's rear camera and open its page.
 *
 * Decoding: the browser's own BarcodeDetector where it reads QR codes (Android Chrome),
 * else jsQR, vendored beside this file and loaded only when needed. The decoded text goes to
 * the server (/app/scan/open?text=), which decides which batch it names: one rule for the
 * camera and the typed form. Without a camera (or permission), the typed form remains.
 * Exposed for tests: window.nguonScan.decodeCanvas(canvas) -> Promise<string|null>.
 */
(function () {
  "use strict";
  var section = document.getElementById("scan-camera");
  var form = document.getElementById("scan-open");
  var status = document.getElementById("scan-status");
  var button = document.getElementById("scan-start");
  var view = document.getElementById("scan-view");
  var video = document.getElementById("scan-video");
  var canvas = document.createElement("canvas");
  var MAX_SIDE = 640; // frames are scaled down: quicker to decode, a label still has 3+ px a module
  var EVERY_MS = 150;
  var decoder = null;

  function say(key) {
    status.textContent = status.getAttribute("data-" + key) || "";
  }

  function loadJsQr() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) { resolve(window.jsQR); return; }
      var script = document.createElement("script");
      script.src = section.getAttribute("data-decoder");
      script.onload = function () { resolve(window.jsQR); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function nativeDetector() {
    if (!("BarcodeDetector" in window)) { return Promise.resolve(null); }
    return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      return formats.indexOf("qr_code") >= 0 ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
    }, function () { return null; });
  }

  /* A function (canvas) -> Promise<string|null>, chosen once. */
  function getDecoder() {
    if (decoder) { return decoder; }
    decoder = nativeDetector().then(function (detector) {
      if (detector) {
        return function (source) {
          return detector.detect(source).then(function (codes) {
            return codes.length ? codes[0].rawValue : null;
          });
        };
      }
      return loadJsQr().then(function (jsQR) {
        return function (source) {
          var context = source.getContext("2d", { willReadFrequently: true });
          var pixels = context.getImageData(0, 0, source.width, source.height);
          var code = jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: "dontInvert" });
          return Promise.resolve(code ? code.data : null);
        };
      });
    });
    return decoder;
  }

  function decodeCanvas(source) {
    return getDecoder().then(function (decode) { return decode(source); });
  }

  function open(text) {
    say("found");
    window.location.assign(form.action + "?text=" + encodeURIComponent(text));
  }

  function frame(stream) {
    if (video.readyState < 2 || !video.videoWidth) {
      return new Promise(function (resolve) { setTimeout(resolve, EVERY_MS); });
    }
    var scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    canvas.getContext("2d", { willReadFrequently: true }).drawImage(video, 0, 0, canvas.width, canvas.height);
    return decodeCanvas(canvas).then(function (text) {
      if (text) {
        stream.getTracks().forEach(function (track) { track.stop(); });
        open(text);
        return true;
      }
      return new Promise(function (resolve) { setTimeout(resolve, EVERY_MS); });
    });
  }

  function watch(stream) {
    frame(stream).then(function (done) { if (done !== true) { watch(stream); } });
  }

  function start() {
    button.hidden = true;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(function (stream) {
        view.hidden = false;
        video.srcObject = stream;
        return video.play().then(function () {
          say("looking");
          getDecoder();
          watch(stream);
        });
      }, function () {
        say("denied");
        button.hidden = false;
      });
  }

  window.nguonScan = { decodeCanvas: decodeCanvas };
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    say("no-camera");
    return;
  }
  button.hidden = false;
  button.addEventListener("click", start);
})();
