// FlowDashboard console: the little it needs from the browser (its time zone, saved preferences).
window.flowDashboard = {
  load: function () {
    return {
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
      timeDisplay: localStorage.getItem("flowdashboard.timeDisplay"),
      darkMode: localStorage.getItem("flowdashboard.darkMode"),
      prefersDark: window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches
    };
  },
  save: function (key, value) {
    localStorage.setItem("flowdashboard." + key, value);
  }
};
