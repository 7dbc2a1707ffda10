// Kundenübersicht and Bestandsverträge: comforts on top of lists that work
// with links and forms alone. Shift-click on a column header adds it as a
// further sort key; selects submit their form on change; Kopieren puts the
// whole search on the clipboard instead of opening the page to copy from.
(function () {
  "use strict";

  // "last_name:asc,birth_date:desc" <-> [["last_name", "asc"], ["birth_date", "desc"]]
  function parseSort(text) {
    return (text || "").split(",").filter(Boolean).map(function (part) {
      var pieces = part.split(":");
      return [pieces[0], pieces[1] || "asc"];
    });
  }

  function formatSort(order) {
    return order.map(function (entry) { return entry[0] + ":" + entry[1]; }).join(",");
  }

  // The column becomes a further sort key; if it already is one, its direction flips.
  function addSortKey(order, key) {
    var found = false;
    var result = order.map(function (entry) {
      if (entry[0] !== key) { return entry; }
      found = true;
      return [key, entry[1] === "asc" ? "desc" : "asc"];
    });
    if (!found) { result.push([key, "asc"]); }
    return result;
  }

  function onSortClick(event) {
    var link = event.target.closest("a.sort-link");
    if (!link || !event.shiftKey) { return; }
    var table = link.closest("table[data-sort]");
    if (!table) { return; }
    event.preventDefault();
    var order = addSortKey(parseSort(table.getAttribute("data-sort")), link.getAttribute("data-key"));
    var url = new URL(window.location.href);
    url.searchParams.set("sort", formatSort(order));
    url.searchParams.delete("page");
    // ":" and "," may stand as they are in a query; keep the address readable.
    url.search = url.searchParams.toString().replace(/%3A/gi, ":").replace(/%2C/gi, ",");
    window.location.assign(url.toString());
  }

  function enableAutoSubmit() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () {
        var form = select.form;
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      });
    });
    document.querySelectorAll("[data-js-hide]").forEach(function (element) {
      element.hidden = true;
    });
  }

  function germanCount(n) {
    return n.toLocaleString("de-DE");
  }

  function showStatus(text, isError) {
    var status = document.querySelector("[data-copy-status]");
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("is-error", Boolean(isError));
  }

  function onCopyClick(event) {
    var link = event.target.closest("a[data-copy]");
    if (!link || !navigator.clipboard || !window.fetch) { return; }  // the page to copy from
    event.preventDefault();
    showStatus("Die Einträge werden geladen …", false);
    fetch(link.href, { headers: { "Accept": "text/plain" }, credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (text) {
          if (!response.ok) { throw new Error(text || "Die Einträge konnten nicht geladen werden."); }
          return text;
        });
      })
      .then(function (text) {
        return navigator.clipboard.writeText(text).then(function () {
          var lines = text.split("\n").filter(Boolean).length - 1;  // without the header line
          showStatus(germanCount(lines) + (lines === 1 ? " Zeile" : " Zeilen") +
                     " in die Zwischenablage kopiert", false);
        }, function () {
          window.location.assign(link.href);  // no clipboard access: copy by hand
        });
      })
      .catch(function (error) { showStatus(error.message, true); });
  }

  function selectAllOnFocus() {
    document.querySelectorAll("textarea[data-select-all]").forEach(function (area) {
      area.addEventListener("focus", function () { area.select(); });
    });
  }

  document.addEventListener("click", onSortClick);
  document.addEventListener("click", onCopyClick);
  document.addEventListener("DOMContentLoaded", function () {
    enableAutoSubmit();
    selectAllOnFocus();
  });
}());
