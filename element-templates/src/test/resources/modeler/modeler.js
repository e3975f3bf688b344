// Opens diagram.bpmn in the Camunda 8 modeler with the checked-in element templates, as Camunda Modeler does for an
// 8.8 diagram. window.aiops tells the test when the diagram is shown and what the template loader rejected.
window.aiops = { ready: false, failure: null, templateErrors: [] };

(async function open() {
  try {
    const modeler = new BpmnModeler({
      container: '#canvas',
      propertiesPanel: { parent: '#properties' },
      elementTemplates: { engines: { camunda: '8.8.0' } }
    });
    window.aiops.modeler = modeler;
    modeler.on('elementTemplates.errors', (event) => {
      window.aiops.templateErrors.push(...event.errors.map(String));
    });

    const templates = [];
    for (const file of ['ai-task-ai-ops.json', 'ai-feedback-ai-ops.json']) {
      templates.push(await fetchOk('/templates/' + file).then((response) => response.json()));
    }
    // the loader validates each template as the Modeler does and keeps only the valid ones
    modeler.get('elementTemplatesLoader').setTemplates(templates);

    await modeler.importXML(await fetchOk('diagram.bpmn').then((response) => response.text()));
    modeler.get('canvas').zoom('fit-viewport');
    window.aiops.ready = true;
  } catch (error) {
    window.aiops.failure = String(error && error.stack || error);
  }
})();

async function fetchOk(url) {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(url + ': HTTP ' + response.status);
  }
  return response;
}

/** The diagram as the modeler would save it. */
window.aiops.saveXml = async function () {
  return (await window.aiops.modeler.saveXML({ format: true })).xml;
};
