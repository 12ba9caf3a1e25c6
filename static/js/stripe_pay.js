/* Stripe's Payment Element on the pay page (PAYMENTS_PROVIDER=stripe): the card goes straight to Stripe, and
   Stripe sends the buyer back to the return address (which reads the payment back) after any bank step. */
(function () {
  "use strict";
  var form = document.querySelector("[data-stripe-pay]");
  var data = document.getElementById("stripe-data");
  if (!form || !data || !window.Stripe) { return; }
  var config = JSON.parse(data.textContent);
  var stripe = window.Stripe(config.publishableKey);
  var elements = stripe.elements({ clientSecret: config.clientSecret });
  elements.create("payment").mount("#payment-element");
  var error = document.getElementById("payment-error");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    form.querySelector("button[type=submit]").disabled = true;
    stripe.confirmPayment({ elements: elements, confirmParams: { return_url: config.returnUrl } }).then(function (result) {
      if (result.error) {
        error.textContent = result.error.message;
        error.hidden = false;
        form.querySelector("button[type=submit]").disabled = false;
      }
    });
  });
})();
