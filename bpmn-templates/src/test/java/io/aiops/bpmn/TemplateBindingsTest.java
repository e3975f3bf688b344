package io.aiops.bpmn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Every task of the shipped workflows that is bound to one of the product's element templates names a template and
 * version that exist, and carries the template's icon, as Camunda Modeler writes it when a template is applied (without
 * it the Modeler draws the plain service-task gear until the template is applied again).
 */
class TemplateBindingsTest {

    private static final String ZEEBE = "http://camunda.org/schema/zeebe/1.0";
    private static final Path TEMPLATES = Path.of(System.getProperty("aiops.sandbox.root", ".."), "element-templates");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "support-ticket-triage.bpmn",
                "invoice-extraction-review.bpmn",
                "contract-clause-review.bpmn",
                "ai-budget-incident.bpmn"
            })
    void everyTemplatedTaskNamesAShippedTemplateVersionAndCarriesItsIcon(String diagram) throws Exception {
        Map<String, JsonNode> templates = templatesById();
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        NodeList elements;
        try (InputStream in = getClass().getResourceAsStream("/bpmn/" + diagram)) {
            elements = factory.newDocumentBuilder().parse(in).getElementsByTagNameNS("*", "*");
        }
        int bound = 0;
        for (int i = 0; i < elements.getLength(); i++) {
            Element element = (Element) elements.item(i);
            String id = element.getAttributeNS(ZEEBE, "modelerTemplate");
            if (id.isEmpty()) {
                continue;
            }
            bound++;
            String where = diagram + " " + element.getAttribute("id");
            assertThat(templates).as(where).containsKey(id);
            JsonNode template = templates.get(id);
            assertThat(element.getAttributeNS(ZEEBE, "modelerTemplateVersion"))
                    .as(where)
                    .isEqualTo(template.path("version").asText());
            assertThat(element.getAttributeNS(ZEEBE, "modelerTemplateIcon"))
                    .as(where)
                    .isEqualTo(template.path("icon").path("contents").asText())
                    .isNotEmpty();
        }
        // the budget incident process has no AI task; the others have at least two templated tasks
        assertThat(bound).isEqualTo(diagram.equals("ai-budget-incident.bpmn") ? 0 : 2);
    }

    private static Map<String, JsonNode> templatesById() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> byId = new HashMap<>();
        List<Path> files;
        try (Stream<Path> listed = Files.list(TEMPLATES)) {
            files = listed.filter(p -> p.getFileName().toString().endsWith("-ai-ops.json"))
                    .toList();
        }
        for (Path file : files) {
            JsonNode template = json.readTree(file.toFile());
            byId.put(template.path("id").asText(), template);
        }
        assertThat(byId).hasSize(2);
        return byId;
    }
}
