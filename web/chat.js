// Starts the rasa-webchat widget (installed by npm, served from this page) and
// adds what it lacks: the partner's lines in a rehearsal marked so they can look
// different, and labels and keyboard access for screen readers.
(function () {
  "use strict";

  var config = window.ASSISTANT_CONFIG || {};
  // The rehearsal's partner lines: "Name (partner): ...", as the server's contract
  // (bids_partner/contract.py) says, served in /config.js.
  var PARTNER_LINE = new RegExp(config.partnerLinePattern || "$^");
  var root = document.getElementById("webchat");

  function markMessages(scope) {
    scope.querySelectorAll(".rw-response").forEach(function (bubble) {
      if (bubble.dataset.marked) return;
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

  function enhance() {
    markMessages(root);
    labelControls(root);
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
      // The conversation survives a reload: the widget keeps its session id and
      // messages in local storage, Rasa keeps the conversation (session_persistence).
      params: { storage: "local" },
      customMessageDelay: function () {
        return 300;
      },
    },
    root
  );
  enhance();
})();
