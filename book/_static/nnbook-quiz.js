/* Self-check questions (book/_ext/quiz.py writes their HTML).
 *
 * A click, a tap, or Enter or Space on a focused option picks it: the question
 * gets data-quiz-state "right" or "wrong", the option is marked, and the live
 * region (data-quiz-feedback) shows the verdict and that option's
 * explanation, which screen readers announce. Another option can be tried at
 * any time; "Reset" clears the question. Plain JavaScript, nothing fetched.
 */
(function () {
  "use strict";

  function setUp(question) {
    var options = question.querySelectorAll("[data-quiz-option]");
    var feedback = question.querySelector("[data-quiz-feedback]");
    var verdict = feedback.querySelector(".nnbook-quiz-verdict");
    var explanations = feedback.querySelectorAll("[data-quiz-explains]");
    var reset = question.querySelector(".nnbook-quiz-reset");

    function pick(option) {
      var letter = option.getAttribute("data-quiz-option");
      var explanation = feedback.querySelector('[data-quiz-explains="' + letter + '"]');
      var right = explanation.getAttribute("data-quiz-right") === "true";
      options.forEach(function (other) {
        other.setAttribute("aria-pressed", other === option ? "true" : "false");
      });
      option.setAttribute("data-quiz-tried", right ? "right" : "wrong");
      explanations.forEach(function (e) { e.hidden = e !== explanation; });
      verdict.textContent = right
        ? letter + " is right."
        : letter + " is not right. Try another option.";
      question.setAttribute("data-quiz-state", right ? "right" : "wrong");
      reset.hidden = false;
    }

    function clear() {
      options.forEach(function (option) {
        option.setAttribute("aria-pressed", "false");
        option.removeAttribute("data-quiz-tried");
      });
      explanations.forEach(function (e) { e.hidden = true; });
      verdict.textContent = "";
      question.removeAttribute("data-quiz-state");
      reset.hidden = true;
      options[0].focus();
    }

    options.forEach(function (option) {
      option.addEventListener("click", function () { pick(option); });
    });
    reset.addEventListener("click", clear);
  }

  function start() {
    document.querySelectorAll("[data-quiz-question]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
