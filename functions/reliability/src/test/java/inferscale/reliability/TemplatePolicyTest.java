package inferscale.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Least privilege, read from template.yaml itself: no wildcard actions, no mutating action on
 * {@code "*"}, PutMetricData only with the {@code cloudwatch:namespace} condition, and every
 * function's logs in a log group with a retention. Each rule is also shown to catch a violation
 * planted in a copy of the template.
 */
class TemplatePolicyTest {
  static final Path TEMPLATE = Path.of("..", "..", "template.yaml");

  /** CloudFormation's short tags ({@code !Sub}, {@code !If}, …) become one-key maps. */
  private static final class CfnConstructor extends SafeConstructor {
    CfnConstructor() {
      super(new LoaderOptions());
      yamlMultiConstructors.put("!", new AbstractConstruct() {
        @Override
        public Object construct(Node node) {
          String fn = node.getTag().getValue().substring(1);
          Object value = node instanceof ScalarNode s ? s.getValue()
              : node instanceof SequenceNode q ? constructSequence(q)
              : constructMapping((MappingNode) node);
          Map<String, Object> map = new LinkedHashMap<>();
          map.put(fn, value);
          return map;
        }
      });
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> load() throws Exception {
    return (Map<String, Object>) new Yaml(new CfnConstructor()).load(Files.readString(TEMPLATE));
  }

  /** Every rule the template breaks, one line each. */
  @SuppressWarnings("unchecked")
  static List<String> violations(Map<String, Object> template) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> resources = (Map<String, Object>) template.get("Resources");
    resources.forEach((name, value) -> {
      Map<String, Object> resource = (Map<String, Object>) value;
      Map<String, Object> props =
          (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
      String type = String.valueOf(resource.get("Type"));
      List<Object> documents = new ArrayList<>();
      if (type.equals("AWS::IAM::Role") || type.equals("AWS::Serverless::Function")) {
        Object policies = props.get("Policies");
        if (policies instanceof List<?> list) {
          for (Object p : list) {
            if (p instanceof Map<?, ?> m && m.get("PolicyDocument") != null) {
              documents.add(m.get("PolicyDocument"));
            } else if (p instanceof Map<?, ?> m && m.get("Statement") != null) {
              documents.add(m);
            } else {
              problems.add(name + ": policy " + p + " is not an inline statement list; "
                  + "managed or SAM template policies cannot be checked here");
            }
          }
        }
      }
      if (type.equals("AWS::IAM::Policy") || type.equals("AWS::IAM::ManagedPolicy")) {
        documents.add(props.get("PolicyDocument"));
      }
      for (Object document : documents) {
        for (Map<String, Object> statement : statements(document)) {
          check(name, statement, problems);
        }
      }
      if (type.equals("AWS::Serverless::Function") || type.equals("AWS::Lambda::Function")) {
        Object group = ((Map<String, Object>) props.getOrDefault("LoggingConfig", Map.of()))
            .get("LogGroup");
        Object ref = group instanceof Map<?, ?> m ? m.get("Ref") : null;
        Map<String, Object> logGroup = ref == null ? null
            : (Map<String, Object>) resources.get(String.valueOf(ref));
        if (logGroup == null || !"AWS::Logs::LogGroup".equals(logGroup.get("Type"))) {
          problems.add(name + ": logs go to no log group of this template (LoggingConfig.LogGroup "
              + "must !Ref an AWS::Logs::LogGroup), so their retention is unset");
        } else if (((Map<String, Object>) logGroup.getOrDefault("Properties", Map.of()))
            .get("RetentionInDays") == null) {
          problems.add(name + ": log group " + ref + " has no RetentionInDays");
        }
      }
    });
    return problems;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> statements(Object document) {
    List<Map<String, Object>> out = new ArrayList<>();
    Object statement = ((Map<String, Object>) document).get("Statement");
    List<Object> list = statement instanceof List<?> l ? (List<Object>) l : List.of(statement);
    for (Object s : list) {
      Map<String, Object> map = (Map<String, Object>) s;
      if (map.size() == 1 && map.containsKey("If")) {
        // !If [condition, statement, statement-or-NoValue]: both branches may be deployed
        List<Object> branches = (List<Object>) map.get("If");
        for (Object branch : branches.subList(1, branches.size())) {
          if (branch instanceof Map<?, ?> b && !b.containsKey("Ref")) {
            out.add((Map<String, Object>) branch);
          }
        }
      } else {
        out.add(map);
      }
    }
    return out;
  }

  private static List<String> strings(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of(String.valueOf(value));
  }

  private static void check(String resource, Map<String, Object> statement,
      List<String> problems) {
    if (!"Allow".equals(statement.get("Effect"))) {
      return;
    }
    String sid = resource + "/" + statement.getOrDefault("Sid", "?");
    List<String> actions = strings(statement.get("Action"));
    if (statement.containsKey("NotAction") || statement.containsKey("NotResource")) {
      problems.add(sid + ": NotAction/NotResource allow more than they name");
    }
    boolean anyResource = strings(statement.get("Resource")).contains("*");
    for (String action : actions) {
      if (action.contains("*")) {
        problems.add(sid + ": wildcard action " + action);
      }
      String verb = action.substring(action.indexOf(':') + 1);
      boolean readOnly = verb.matches("(Describe|Get|List).*");
      if (anyResource && !readOnly && !action.equalsIgnoreCase("cloudwatch:PutMetricData")) {
        problems.add(sid + ": mutating action " + action + " on Resource \"*\"");
      }
      if (action.equalsIgnoreCase("cloudwatch:PutMetricData")
          && !String.valueOf(statement.get("Condition")).toLowerCase(Locale.ROOT)
              .contains("cloudwatch:namespace")) {
        problems.add(sid + ": PutMetricData without a cloudwatch:namespace condition");
      }
    }
  }

  @Test
  @Scenario(area = "Least privilege", value = "template.yaml: every role, policy and function")
  void theTemplateIsLeastPrivilege(Outcome outcome) throws Exception {
    Map<String, Object> template = load();
    assertEquals(List.of(), violations(template));
    @SuppressWarnings("unchecked")
    long statements = ((Map<String, Object>) template.get("Resources")).values().stream()
        .filter(r -> String.valueOf(((Map<?, ?>) r).get("Type")).equals("AWS::IAM::Role"))
        .count();
    outcome.did("no violations in " + statements + " roles: no wildcard action, no mutating "
        + "action on *, PutMetricData only in namespace InferScale, every function's log group "
        + "has a retention");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> props(Map<String, Object> template, String resource) {
    return (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
        template.get("Resources")).get(resource)).get("Properties");
  }

  @SuppressWarnings("unchecked")
  private static List<Object> scalerStatements(Map<String, Object> template) {
    Map<String, Object> policy =
        (Map<String, Object>) ((List<Object>) props(template, "ScalerRole").get("Policies")).get(0);
    return (List<Object>) ((Map<String, Object>) policy.get("PolicyDocument")).get("Statement");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"wildcard action", "mutating action on *",
      "PutMetricData without the namespace condition", "missing log retention"})
  @Scenario(area = "Least privilege", value = "The check catches a planted violation")
  @SuppressWarnings("unchecked")
  void theCheckCatches(String planted, Outcome outcome) throws Exception {
    outcome.name("The check catches a planted " + planted);
    Map<String, Object> template = load();
    Consumer<Map<String, Object>> plant = switch (planted) {
      case "wildcard action" -> t -> scalerStatements(t).add(Map.of("Effect", "Allow",
          "Action", List.of("sagemaker:Describe*"), "Resource", "arn:aws:sagemaker:::endpoint/x"));
      case "mutating action on *" -> t -> scalerStatements(t).add(Map.of("Effect", "Allow",
          "Action", "sagemaker:UpdateEndpointWeightsAndCapacities", "Resource", "*"));
      case "PutMetricData without the namespace condition" -> t -> scalerStatements(t).add(
          Map.of("Sid", "Publish", "Effect", "Allow", "Action", "cloudwatch:PutMetricData",
              "Resource", "*"));
      default -> t -> props(t, "ForecastLogGroup").remove("RetentionInDays");
    };
    plant.accept(template);
    List<String> found = violations(template);
    assertEquals(1, found.size(), found.toString());
    outcome.did("found: " + found.get(0));
  }
}
