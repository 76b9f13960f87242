package inferscale.scaler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import inferscale.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * template.yaml as CloudFormation reads it (decoded by cfn-lint's own YAML loader, so the short
 * forms {@code !Sub}, {@code !If}… become {@code Fn::Sub}, {@code Fn::If}…), plus a small evaluator
 * of the intrinsic functions the template uses, for given parameter values. Enough to see what a
 * deployed schedule or dashboard would contain; resources' own attributes stay placeholders
 * (an alarm's {@code Ref}, its name, excepted).
 */
final class SamTemplate {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");

  static final String STACK_NAME = "inferscale-llm-prod";
  static final String STACK_UUID = "51af3dc0-da77-11e4-872e-1234567db123";

  final JsonNode root;

  private SamTemplate(JsonNode root) {
    this.root = root;
  }

  static SamTemplate load(Path file) throws Exception {
    String script = "import json, sys\n"
        + "from cfnlint.decode import decode\n"
        + "template, matches = decode(sys.argv[1])\n"
        + "if matches: sys.exit('cannot decode: %s' % matches)\n"
        + "print(json.dumps(template, default=str))\n";
    Process p;
    try {
      p = new ProcessBuilder("python3", "-c", script, file.toString()).start();
    } catch (IOException e) {
      throw new AssertionError("python3 with cfn-lint (1.51) must be on the PATH: " + e, e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new AssertionError("decoding " + file + " failed:\n" + err);
    }
    return new SamTemplate(Json.mapper().readTree(out));
  }

  JsonNode resource(String logicalId) {
    JsonNode r = root.path("Resources").path(logicalId);
    if (r.isMissingNode()) {
      throw new AssertionError("template.yaml has no resource " + logicalId);
    }
    return r;
  }

  /** Parameter defaults overridden by {@code values}; every parameter gets a value. */
  Map<String, String> parameters(Map<String, String> values) {
    Map<String, String> all = new HashMap<>();
    root.path("Parameters").fields().forEachRemaining(e -> {
      JsonNode def = e.getValue().get("Default");
      if (def != null) {
        all.put(e.getKey(), def.asText());
      }
    });
    for (String name : values.keySet()) {
      if (!root.path("Parameters").has(name)) {
        throw new AssertionError("template.yaml has no parameter " + name);
      }
    }
    all.putAll(values);
    all.put("AWS::Region", "us-east-1");
    all.put("AWS::Partition", "aws");
    all.put("AWS::AccountId", "123456789012");
    all.put("AWS::StackName", STACK_NAME);
    all.put("AWS::StackId", "arn:aws:cloudformation:us-east-1:123456789012:stack/" + STACK_NAME
        + "/" + STACK_UUID);
    return all;
  }

  /** {@code node} with every intrinsic function evaluated for {@code parameters}. */
  JsonNode evaluate(JsonNode node, Map<String, String> parameters) {
    if (node.isObject() && node.size() == 1) {
      String fn = node.fieldNames().next();
      JsonNode arg = node.get(fn);
      switch (fn) {
        case "Ref":
          if (arg.asText().equals("AWS::NoValue")) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance(); // dropped below
          }
          return new TextNode(ref(arg.asText(), parameters));
        case "Fn::Sub":
          return new TextNode(sub(arg, parameters));
        case "Fn::If":
          return evaluate(condition(arg.get(0).asText(), parameters) ? arg.get(1) : arg.get(2),
              parameters);
        case "Fn::Join": {
          StringBuilder joined = new StringBuilder();
          JsonNode list = evaluate(arg.get(1), parameters);
          Iterator<JsonNode> items = list.isArray() ? list.elements()
              : List.of(list).iterator();
          while (items.hasNext()) {
            joined.append(items.next().asText());
            if (items.hasNext()) {
              joined.append(arg.get(0).asText());
            }
          }
          return new TextNode(joined.toString());
        }
        case "Fn::Select":
          return evaluate(arg.get(1), parameters).get(arg.get(0).asInt());
        case "Fn::Split": {
          ArrayNode parts = Json.mapper().createArrayNode();
          for (String part : evaluate(arg.get(1), parameters).asText()
              .split(Pattern.quote(arg.get(0).asText()), -1)) {
            parts.add(part);
          }
          return parts;
        }
        case "Fn::GetAtt":
          return new TextNode("<" + arg.get(0).asText() + "." + arg.get(1).asText() + ">");
        default:
          break;
      }
    }
    if (node.isObject()) {
      ObjectNode copy = Json.mapper().createObjectNode();
      node.fields().forEachRemaining(e -> {
        JsonNode value = evaluate(e.getValue(), parameters);
        if (!value.isMissingNode()) {
          copy.set(e.getKey(), value);
        }
      });
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = Json.mapper().createArrayNode();
      node.forEach(n -> {
        JsonNode value = evaluate(n, parameters);
        if (!value.isMissingNode()) {
          copy.add(value);
        }
      });
      return copy;
    }
    return node;
  }

  boolean condition(String name, Map<String, String> parameters) {
    return truth(root.path("Conditions").get(name), parameters);
  }

  private boolean truth(JsonNode node, Map<String, String> parameters) {
    if (node.has("Fn::Equals")) {
      JsonNode args = node.get("Fn::Equals");
      return evaluate(args.get(0), parameters).asText()
          .equals(evaluate(args.get(1), parameters).asText());
    }
    if (node.has("Fn::Not")) {
      return !truth(node.get("Fn::Not").get(0), parameters);
    }
    if (node.has("Fn::And")) {
      for (JsonNode term : node.get("Fn::And")) {
        if (!truth(term, parameters)) {
          return false;
        }
      }
      return true;
    }
    if (node.has("Fn::Or")) {
      for (JsonNode term : node.get("Fn::Or")) {
        if (truth(term, parameters)) {
          return true;
        }
      }
      return false;
    }
    if (node.has("Condition")) {
      return condition(node.get("Condition").asText(), parameters);
    }
    throw new AssertionError("condition not understood: " + node);
  }

  /**
   * The descriptions of the template's rules (its {@code Rules} section, which CloudFormation checks
   * before it changes anything) that {@code parameters} break.
   */
  List<String> brokenRules(Map<String, String> parameters) {
    List<String> broken = new ArrayList<>();
    root.path("Rules").forEach(rule -> {
      if (rule.has("RuleCondition") && !truth(rule.get("RuleCondition"), parameters)) {
        return;
      }
      for (JsonNode assertion : rule.get("Assertions")) {
        if (!truth(assertion.get("Assert"), parameters)) {
          broken.add(assertion.get("AssertDescription").asText());
        }
      }
    });
    return broken;
  }

  private String ref(String name, Map<String, String> parameters) {
    if (parameters.containsKey(name)) {
      return parameters.get(name);
    }
    JsonNode resource = root.path("Resources").path(name);
    if (resource.path("Type").asText().equals("AWS::CloudWatch::Alarm")) {
      // Ref of an alarm is its name
      return evaluate(resource.at("/Properties/AlarmName"), parameters).asText();
    }
    if (!resource.isMissingNode()) {
      return "<" + name + ">";
    }
    if (name.endsWith(".Alias")) {
      return "<" + name + ">";
    }
    throw new AssertionError("Ref to unknown " + name);
  }

  private String sub(JsonNode arg, Map<String, String> parameters) {
    String template = arg.isArray() ? arg.get(0).asText() : arg.asText();
    Map<String, String> vars = new HashMap<>(parameters);
    if (arg.isArray()) {
      arg.get(1).fields().forEachRemaining(
          e -> vars.put(e.getKey(), evaluate(e.getValue(), parameters).asText()));
    }
    Matcher m = VARIABLE.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value;
      if (vars.containsKey(name)) {
        value = vars.get(name);
      } else if (name.contains(".")) {
        value = "<" + name + ">";
      } else {
        value = ref(name, parameters);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
