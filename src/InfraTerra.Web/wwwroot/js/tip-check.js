// Progressive enhancement of the tip form's human check. Without JavaScript (or when anything
// here is missing) the server-rendered question stays and is enough. With it, a widget takes
// the question's place: the self-hosted ALTCHA proof of work, or Google reCAPTCHA v3 where an
// operator chose it. If the widget fails, the question comes back, so a tip is never stuck.
(function () {
    'use strict';
    var box = document.getElementById('widget-check');
    var question = document.getElementById('question-check');
    if (!box || !question) {
        return;
    }

    var form = box.closest('form');
    var keepQuestion = box.getAttribute('data-show-question') === 'true';

    function useWidget() {
        box.hidden = false;
        question.hidden = true;
    }

    function showQuestion() {
        question.hidden = false;
    }

    function proofOfWork() {
        var altcha = window.$altcha;
        if (!altcha || !window.Worker || !window.crypto || !window.crypto.subtle || !window.customElements) {
            return;
        }

        var workerUrl = box.getAttribute('data-worker');
        altcha.algorithms.set('PBKDF2/SHA-256', function () { return new Worker(workerUrl); });
        var widget = document.createElement('altcha-widget');
        widget.setAttribute('challenge', box.getAttribute('data-challenge'));
        widget.setAttribute('name', 'Input.WidgetResponse');
        widget.setAttribute('auto', 'onsubmit');
        widget.setAttribute('language', box.getAttribute('data-language'));
        widget.setAttribute('configuration', JSON.stringify({ hideFooter: true, humanInteractionSignature: false }));
        widget.addEventListener('statechange', function (event) {
            var state = event.detail && event.detail.state;
            if (state === 'error' || state === 'expired') {
                // Step aside for good: the widget would otherwise hold back the next Send as well.
                setTimeout(function () { widget.remove(); box.hidden = true; showQuestion(); }, 0);
            }
        });
        box.appendChild(widget);
        useWidget();
    }

    function reCaptcha() {
        var field = box.querySelector('input[name="Input.WidgetResponse"]');
        var siteKey = box.getAttribute('data-site-key');
        var action = box.getAttribute('data-action');
        if (!window.grecaptcha || !field) {
            return;
        }

        var failed = false;
        window.grecaptcha.ready(function () {
            useWidget();
            form.addEventListener('submit', function (event) {
                if (field.value || failed) {
                    return;
                }

                event.preventDefault();
                var submitter = event.submitter;
                window.grecaptcha.execute(siteKey, { action: action }).then(function (token) {
                    field.value = token;
                    form.requestSubmit(submitter);
                }, function () {
                    failed = true;
                    showQuestion();
                });
            });
        });
    }

    if (keepQuestion) {
        // The server already refused a widget's answer or asked for the question: the question alone is surer.
        return;
    }

    if (box.getAttribute('data-kind') === 'proof-of-work') {
        proofOfWork();
    } else if (box.getAttribute('data-kind') === 'recaptcha') {
        reCaptcha();
    }
}());
