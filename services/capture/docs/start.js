// Starts Swagger UI on the API's own document. A file, not an inline script, so that the
// page's Content-Security-Policy can refuse every inline script. validatorUrl null: Swagger UI
// would otherwise send the document to an outside validator.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
