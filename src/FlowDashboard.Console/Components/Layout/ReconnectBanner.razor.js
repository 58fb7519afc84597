// The console's reconnect banner (ReconnectBanner.razor), and the start of Blazor: App loads blazor.web.js with
// autostart="false" because the retry cadence is a start option. Blazor drives the banner through the element with id
// components-reconnect-modal, raising components-reconnect-state-changed on it with a state: show, retrying (with the
// attempt), hide, failed (retries used up), rejected (the server no longer knows this page), paused, resume-failed.

// Every 2 s for 2 minutes. A restarting host is back within seconds; Blazor's default (ten retries at once, then every
// 5 s, then every 30 s) logs an error per attempt and declares the rejoin failed while the host is still starting.
const retryIntervalMilliseconds = 2000;
const maxRetries = 60;

const lost = "Connection to the server lost — reconnecting";
const restarted = "The server restarted: reload to continue.";
const unreachable = "The server does not answer. Retry once it is back, or reload the page.";

const banner = document.getElementById("components-reconnect-modal");
const message = banner.querySelector("[data-reconnect-message]");
const actions = {
  retry: banner.querySelector("[data-reconnect-action=retry]"),
  resume: banner.querySelector("[data-reconnect-action=resume]"),
  reload: banner.querySelector("[data-reconnect-action=reload]"),
};

function show(text, ...offered) {
  // Blazor reports a retry every second while it counts down: rewrite only a changed message, or screen readers repeat it.
  if (message.textContent !== text) {
    message.textContent = text;
  }
  for (const [name, button] of Object.entries(actions)) {
    button.hidden = !offered.includes(name);
  }
  banner.hidden = false;
}

function hide() {
  banner.hidden = true;
}

function showUnreachable() {
  show(unreachable, "retry", "reload");
  // Coming back to the tab is when the operator wants the page to work again: try then, as the framework's template does.
  document.addEventListener("visibilitychange", retryWhenVisible);
}

async function retry() {
  document.removeEventListener("visibilitychange", retryWhenVisible);
  show(`${lost}…`);
  try {
    // true: reconnected; false: the server answered but no longer has this page's circuit (it restarted).
    if (await Blazor.reconnect()) {
      hide();
      return;
    }
    if (await Blazor.resumeCircuit()) {
      hide();
      return;
    }
    show(restarted, "reload");
  } catch {
    showUnreachable();
  }
}

async function resume() {
  try {
    if (await Blazor.resumeCircuit()) {
      hide();
      return;
    }
  } catch {
    // Reported below, as a session that cannot be resumed.
  }
  show(restarted, "reload");
}

function retryWhenVisible() {
  if (document.visibilityState === "visible") {
    retry();
  }
}

actions.retry.addEventListener("click", retry);
actions.resume.addEventListener("click", resume);
actions.reload.addEventListener("click", () => location.reload());

banner.addEventListener("components-reconnect-state-changed", event => {
  const { state, currentAttempt } = event.detail;
  switch (state) {
    case "show":
      show(`${lost}…`);
      break;
    case "retrying":
      show(currentAttempt ? `${lost} (attempt ${currentAttempt})…` : `${lost}…`);
      break;
    case "hide":
      hide();
      break;
    case "failed":
      showUnreachable();
      break;
    case "paused":
      show("The server paused this page's session.", "resume");
      break;
    case "rejected":
    case "resume-failed":
      show(restarted, "reload");
      break;
  }
});

Blazor.start({
  circuit: {
    reconnectionOptions: { maxRetries, retryIntervalMilliseconds },
  },
});
