// Renders ```mermaid blocks with the Mermaid library the docs build vendors from npm (no CDN).
// Material for MkDocs would fetch Mermaid from a CDN for blocks of class "mermaid" and draw them
// in a closed shadow root; our fence uses the class "df-mermaid" instead, and this script loads
// the vendored copy only on pages that have a diagram, then draws each one into the page itself.
(function () {
  "use strict";
  var here = document.currentScript ? document.currentScript.src : "";
  var libraryUrl = here.replace(/mermaid-init\.js(\?.*)?$/, "vendor/mermaid.min.js");
  var loading = null;
  var counter = 0;

  function loadMermaid() {
    if (typeof window.mermaid !== "undefined" && !(window.mermaid instanceof Element)) {
      return Promise.resolve(window.mermaid);
    }
    if (loading === null) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = libraryUrl;
        script.onload = function () {
          // Natural size (no "max-width: 100%"): a wide diagram scrolls instead of shrinking its
          // labels to a few pixels (see stylesheets/diagrams.css).
          window.mermaid.initialize({
            startOnLoad: false,
            securityLevel: "strict",
            theme: "default",
            state: { useMaxWidth: false },
            flowchart: { useMaxWidth: false },
          });
          resolve(window.mermaid);
        };
        script.onerror = function () {
          reject(new Error("could not load " + libraryUrl));
        };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  async function renderAll() {
    var blocks = Array.prototype.slice.call(document.querySelectorAll("pre.df-mermaid"));
    if (blocks.length === 0) {
      return;
    }
    var mermaid;
    try {
      mermaid = await loadMermaid();
    } catch (error) {
      blocks.forEach(function (block) {
        block.setAttribute("data-mermaid-error", String(error));
      });
      return;
    }
    for (var i = 0; i < blocks.length; i += 1) {
      var block = blocks[i];
      var host = document.createElement("div");
      host.className = "df-mermaid-diagram";
      try {
        counter += 1;
        var result = await mermaid.render("df-mermaid-" + counter, block.textContent);
        host.innerHTML = result.svg;
        block.replaceWith(host);
      } catch (error) {
        block.setAttribute("data-mermaid-error", String(error));
      }
    }
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(function () {
      renderAll();
    });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderAll);
  } else {
    renderAll();
  }
})();
