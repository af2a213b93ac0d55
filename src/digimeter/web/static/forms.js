/* A <select data-autosubmit> sends its form when changed (the form's button stays for
   readers without scripts). */
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
