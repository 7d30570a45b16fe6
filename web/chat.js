// Starts the rasa-webchat widget (installed by npm, served from this page) and
// adds what it lacks: the partner's lines in a rehearsal marked so they can look
// different, labels and keyboard access for screen readers, a typing indicator
// while a reply is on its way, and a quick exit (button or Esc twice).
(function () {
  "use strict";

  var config = window.ASSISTANT_CONFIG || {};
  // The rehearsal's partner lines: "Name (role-play): ...", as the server's contract
  // (bids_partner/contract.py) says, served in /config.js.
  var PARTNER_LINE = new RegExp(config.partnerLinePattern || "$^");
  var root = document.getElementById("webchat");
  var typing = document.getElementById("typing");
  var frame = root.parentNode;
  // The widget's socket, caught on connect, so a quick exit can cut it.
  var socket = null;

  // Quick exit. Someone who checks the user's devices may walk in: hide the
  // page at once, wipe what this origin stored, cut the socket, and replace the
  // page (location.replace) so that Back does not lead to the chat.
  var EXIT_URL = config.quickExitUrl || "/new-tab";
  var ESC_WINDOW_MS = 1000;
  var lastEscape = 0;
  var leaving = false;

  function forgetStorage() {
    // Until the next page loads, this one lives on, and the widget writes its
    // session back on a socket that connects late or a reply in flight: stop
    // all writes first, then clear.
    Storage.prototype.setItem = function () {};
    [window.localStorage, window.sessionStorage].forEach(function (store) {
      try {
        store.clear();
      } catch (error) {
        // Storage disabled: nothing was kept.
      }
    });
  }

  function quickExit(event) {
    if (event) event.preventDefault();
    leaving = true;
    document.body.hidden = true;
    document.title = "New Tab";
    forgetStorage();
    try {
      if (socket) socket.close();
    } catch (error) {
      // Leaving matters more than a clean goodbye.
    }
    window.location.replace(EXIT_URL);
  }

  // "Delete this conversation": the same request as typing it, so the chat asks
  // for a confirmation before anything is deleted (the server binds the socket
  // to its conversation, so no id is sent).
  var FORGOTTEN = "deleted";
  var forget = document.getElementById("forget");
  if (forget) {
    forget.addEventListener("click", function () {
      if (socket) socket.emit("user_uttered", { message: "/forget_me" });
    });
  }
  if (window.location.search === "?" + FORGOTTEN) {
    document.getElementById("forgotten").hidden = false;
    window.history.replaceState(null, "", window.location.pathname);
  }

  document.querySelectorAll(".quick-exit").forEach(function (link) {
    link.href = EXIT_URL;
    link.addEventListener("click", quickExit);
  });
  // Captured before the widget's input sees it, wherever the focus is.
  window.addEventListener(
    "keydown",
    function (event) {
      if (event.key !== "Escape") return;
      var now = Date.now();
      if (now - lastEscape <= ESC_WINDOW_MS) {
        quickExit(event);
      } else {
        lastEscape = now;
      }
    },
    true
  );

  function markMessages(scope) {
    scope.querySelectorAll(".rw-response").forEach(function (bubble) {
      if (bubble.dataset.marked) return;
      if (bubble.closest(".rw-typing-indication")) return;
      bubble.dataset.marked = "1";
      var message = bubble.closest(".rw-message") || bubble;
      if (PARTNER_LINE.test(bubble.textContent.trim())) {
        message.classList.add("partner-line");
      } else {
        message.classList.add("coach-line");
      }
    });
  }

  function labelControls(scope) {
    var log = scope.querySelector(".rw-messages-container");
    if (log && !log.hasAttribute("role")) {
      log.setAttribute("role", "log");
      log.setAttribute("aria-live", "polite");
      log.setAttribute("aria-label", "Conversation");
      log.setAttribute("tabindex", "0");
    }
    var input = scope.querySelector(".rw-new-message");
    if (input && !input.hasAttribute("aria-label")) {
      input.setAttribute("aria-label", "Your message");
    }
    var send = scope.querySelector(".rw-send");
    if (send && !send.hasAttribute("aria-label")) {
      send.setAttribute("aria-label", "Send");
    }
    // Quick replies are clickable elements: make each reachable and usable by
    // keyboard as a button.
    scope.querySelectorAll(".rw-reply").forEach(function (reply) {
      if (reply.tagName === "BUTTON" || reply.dataset.keyboard) return;
      reply.dataset.keyboard = "1";
      reply.setAttribute("role", "button");
      reply.setAttribute("tabindex", "0");
      reply.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          reply.click();
        }
      });
    });
  }

  // The widget shows its own dots only between a reply's arrival and its display
  // (customMessageDelay); ours cover the wait before that: from the moment the
  // user's message is last in the log until a reply (or the widget's dots) shows.
  var REPLY_WAIT_MS = 20000;
  var waitingSince = 0;
  var waitTimer = null;

  function updateTyping() {
    var groups = root.querySelectorAll(".rw-group-message");
    var last = groups[groups.length - 1];
    var awaiting =
      !!last &&
      last.classList.contains("rw-from-client") &&
      !root.querySelector(".rw-typing-indication");
    if (!awaiting) {
      waitingSince = 0;
    } else if (!waitingSince) {
      waitingSince = Date.now();
      // No reply after a while (server gone): stop promising one.
      clearTimeout(waitTimer);
      waitTimer = setTimeout(updateTyping, REPLY_WAIT_MS + 50);
    }
    var show = awaiting && Date.now() - waitingSince < REPLY_WAIT_MS;
    if (show === !typing.hidden) return;
    typing.hidden = !show;
    frame.classList.toggle("awaiting-reply", show);
    if (show) {
      var log = root.querySelector(".rw-messages-container");
      if (log) log.scrollTop = log.scrollHeight;
      placeTyping();
    }
  }

  // Where the next reply will appear: under the user's last message, or, when
  // the log is full, in the room it makes at its foot (chat.css).
  function placeTyping() {
    if (typing.hidden) return;
    var log = root.querySelector(".rw-messages-container");
    var groups = root.querySelectorAll(".rw-group-message");
    var last = groups[groups.length - 1];
    if (!log || !last) return;
    var origin = frame.getBoundingClientRect().top;
    var below = last.getBoundingClientRect().bottom - origin + 8;
    var lowest = log.getBoundingClientRect().bottom - origin - typing.offsetHeight - 8;
    typing.style.top = Math.max(0, Math.min(below, lowest)) + "px";
  }
  root.addEventListener("scroll", placeTyping, true);

  function enhance() {
    markMessages(root);
    labelControls(root);
    updateTyping();
  }

  new MutationObserver(enhance).observe(root, { childList: true, subtree: true });

  window.WebChat.default(
    {
      socketUrl: config.socketUrl,
      socketPath: "/socket.io/",
      initPayload: "/greet",
      embedded: true,
      title: "Practice partner",
      subtitle: "A practice tool, not a crisis service",
      inputTextFieldHint: "Type a message",
      hideWhenNotConnected: false,
      withRules: false,
      // The conversation survives a reload of this tab and ends with it: the
      // widget keeps its session id and messages in session storage (never local
      // storage, which outlives the tab on a shared device); Rasa keeps the
      // conversation (session_persistence).
      params: { storage: "session" },
      onSocketEvent: {
        // socket.io calls its handlers with the socket as `this`.
        connect: function () {
          socket = this;
          // Connected only after the user left (a slow exit page): hang up.
          if (leaving) socket.close();
        },
        // The server deleted the conversation ("delete this conversation",
        // confirmed): clear the tab and start afresh, saying so on the page.
        bot_uttered: function (message) {
          if (message && message.custom && message.custom.conversation_forgotten) {
            forgetStorage();
            window.location.replace(window.location.pathname + "?" + FORGOTTEN);
          }
        },
      },
      customMessageDelay: function () {
        return 300;
      },
    },
    root
  );
  enhance();
})();
