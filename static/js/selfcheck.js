/* Self-check scoring, entirely on the phone.
 *
 * The form has no action and no submit button, and this script stops any submission, so the
 * answers never leave the browser: no request carries them, nothing is stored. Bands and the
 * urgent item come from the page (resources/selfchecks.py renders them), so this file knows no
 * questionnaire.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-self-check]");
  if (!form) {
    return;
  }
  var result = document.querySelector("[data-result]");
  var missing = form.querySelector("[data-missing]");

  document.querySelectorAll("[data-js-needed]").forEach(function (el) { el.hidden = true; });
  document.querySelectorAll("[data-js-only]").forEach(function (el) { el.hidden = false; });

  // Belt and braces: even an implicit submission (Enter in a field) goes nowhere.
  form.addEventListener("submit", function (event) { event.preventDefault(); });

  function answers() {
    var questions = Array.prototype.slice.call(form.querySelectorAll("[data-question]"));
    return questions.map(function (question) {
      var checked = question.querySelector("input[type=radio]:checked");
      return { question: question, value: checked ? Number(checked.value) : null };
    });
  }

  function hideResult() {
    result.hidden = true;
    result.querySelectorAll("[data-band], [data-urgent]").forEach(function (el) { el.hidden = true; });
  }

  function score() {
    var given = answers();
    var unanswered = given.filter(function (answer) { return answer.value === null; });
    if (unanswered.length) {
      hideResult();
      missing.textContent = unanswered.length === 1
        ? "One question is still unanswered."
        : unanswered.length + " questions are still unanswered.";
      missing.hidden = false;
      var first = unanswered[0].question.querySelector("input");
      if (first) { first.focus(); }
      return;
    }
    missing.hidden = true;
    var total = given.reduce(function (sum, answer) { return sum + answer.value; }, 0);
    result.querySelector("[data-total]").textContent = String(total);
    result.querySelectorAll("[data-band]").forEach(function (band) {
      band.hidden = !(total >= Number(band.dataset.low) && total <= Number(band.dataset.high));
    });
    var urgentItem = Number(form.dataset.urgentItem || 0);
    var urgent = result.querySelector("[data-urgent]");
    if (urgent) {
      urgent.hidden = !(urgentItem && given[urgentItem - 1].value > 0);
    }
    result.hidden = false;
    result.querySelector("[data-result-heading]").focus();
  }

  form.querySelector("[data-score]").addEventListener("click", score);
  form.querySelector("[data-clear]").addEventListener("click", function () {
    form.reset();
    missing.hidden = true;
    hideResult();
    window.scrollTo(0, 0);
  });
  // Leave nothing behind for whoever picks up the phone next (back button, restored tabs).
  window.addEventListener("pagehide", function () { form.reset(); hideResult(); });
}());
