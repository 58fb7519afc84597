// FlowDashboard console: the little it needs from the browser (its time zone, saved preferences, the clipboard).
window.flowDashboard = {
  load: function () {
    return {
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
      timeDisplay: localStorage.getItem("flowdashboard.timeDisplay"),
      darkMode: localStorage.getItem("flowdashboard.darkMode"),
      prefersDark: window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches
    };
  },
  // Brings a timeline row into view in its scroll box. Rows above the view may not be rendered (virtualized), so a row
  // not in the page is placed from its index; a row already in view is left where it is.
  scrollRowIntoView: function (box, index, rowHeight) {
    if (!box) return;
    var head = box.querySelector("thead");
    var headHeight = head ? head.offsetHeight : 0;
    var row = box.querySelector('[data-row-index="' + index + '"]');
    var top = row ? row.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop : headHeight + index * rowHeight;
    if (top - headHeight >= box.scrollTop && top + rowHeight <= box.scrollTop + box.clientHeight) return;
    box.scrollTop = Math.max(0, top - headHeight - Math.floor((box.clientHeight - headHeight) / 3));
  },
  save: function (key, value) {
    localStorage.setItem("flowdashboard." + key, value);
  },
  // The same preferences for the server, which prerenders the next page with them (a year, this site only).
  remember: function (name, value) {
    document.cookie = name + "=" + value + "; path=/; max-age=31536000; samesite=lax";
  },
  // The Clipboard API needs a secure context (HTTPS or localhost): elsewhere the rejection reaches .NET as a JSException.
  copyText: function (text) {
    return navigator.clipboard.writeText(text);
  }
};

// A timeline row is a button made of a div: Space opens it (Blazor's keydown handler) and must not scroll the page too.
document.addEventListener("keydown", function (e) {
  if (e.key === " " && e.target instanceof Element && e.target.matches(".fd-timeline [data-row-index]")) e.preventDefault();
});
