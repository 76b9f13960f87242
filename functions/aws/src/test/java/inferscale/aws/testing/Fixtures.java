package inferscale.aws.testing;

import inferscale.aws.adapters.MetricDimension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CapacityReservationInstancePlatform;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/** Creates emulator state through the real AWS APIs, as a user or the console would. */
public final class Fixtures {
  /** A CPU type plain moto accepts in CreateEndpointConfig. */
  public static final String INSTANCE_TYPE = "ml.m5.xlarge";
  /**
   * A GPU type LLM endpoints run on. Plain moto 5.2.1 rejects ml.g5/g6/g6e/p4d/p5 types;
   * moto_ext.py widens its list, so this needs {@link AwsEmulator.Kind#MOTO_EXT} (or LocalStack).
   */
  public static final String GPU_INSTANCE_TYPE = "ml.g5.xlarge";
  public static final String VARIANT = "AllTraffic";

  private Fixtures() {}

  /** A name unique to this test, so tests also run against an emulator that is never reset. */
  public static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Model, endpoint config and endpoint with one variant of {@code instances} instances. */
  public static String createEndpoint(SageMakerClient sageMaker, String name, int instances,
      Map<String, String> tags) {
    return createEndpoint(sageMaker, name, INSTANCE_TYPE, instances, tags);
  }

  /** As above, on {@code instanceType} (e.g. {@link #GPU_INSTANCE_TYPE}). */
  public static String createEndpoint(SageMakerClient sageMaker, String name, String instanceType,
      int instances, Map<String, String> tags) {
    sageMaker.createModel(b -> b.modelName(name + "-model")
        .executionRoleArn("arn:aws:iam::123456789012:role/sagemaker")
        .primaryContainer(c -> c.image("123456789012.dkr.ecr.us-east-1.amazonaws.com/llm:latest")));
    sageMaker.createEndpointConfig(b -> b.endpointConfigName(name + "-config")
        .productionVariants(v -> v.variantName(VARIANT).modelName(name + "-model")
            .instanceType(instanceType).initialInstanceCount(instances)
            .initialVariantWeight(1.0f)));
    List<Tag> tagList = new ArrayList<>();
    tags.forEach((k, v) -> tagList.add(Tag.builder().key(k).value(v).build()));
    return sageMaker.createEndpoint(b -> b.endpointName(name).endpointConfigName(name + "-config")
        .tags(tagList)).endpointArn();
  }

  /**
   * An endpoint with two variants: {@link #VARIANT} with all the traffic, and a fallback on
   * another instance type with none.
   */
  public static void createEndpointWithFallback(SageMakerClient sageMaker, String name,
      String instanceType, int instances, String fallbackVariant, String fallbackType,
      int fallbackInstances) {
    sageMaker.createModel(b -> b.modelName(name + "-model")
        .executionRoleArn("arn:aws:iam::123456789012:role/sagemaker")
        .primaryContainer(c -> c.image("123456789012.dkr.ecr.us-east-1.amazonaws.com/llm:latest")));
    sageMaker.createEndpointConfig(b -> b.endpointConfigName(name + "-config")
        .productionVariants(
            v -> v.variantName(VARIANT).modelName(name + "-model").instanceType(instanceType)
                .initialInstanceCount(instances).initialVariantWeight(1.0f),
            v -> v.variantName(fallbackVariant).modelName(name + "-model")
                .instanceType(fallbackType).initialInstanceCount(fallbackInstances)
                .initialVariantWeight(0.0f)));
    sageMaker.createEndpoint(b -> b.endpointName(name).endpointConfigName(name + "-config"));
  }

  /**
   * An endpoint on {@link #GPU_INSTANCE_TYPE}-class instances hosting inference components: its
   * variant names no model and, with {@code managed}, scales its instances to the copies (1 to
   * 8); then one component per name, each needing one accelerator a copy.
   *
   * @return each component's ARN, in the order named
   */
  public static List<String> createComponentEndpoint(SageMakerClient sageMaker, String name,
      String instanceType, int instances, boolean managed, int copies, String... components) {
    sageMaker.createModel(b -> b.modelName(name + "-model")
        .executionRoleArn("arn:aws:iam::123456789012:role/sagemaker")
        .primaryContainer(c -> c.image("123456789012.dkr.ecr.us-east-1.amazonaws.com/llm:latest")));
    sageMaker.createEndpointConfig(b -> b.endpointConfigName(name + "-config")
        .productionVariants(v -> {
          v.variantName(VARIANT).instanceType(instanceType).initialInstanceCount(instances);
          if (managed) {
            v.managedInstanceScaling(m -> m.status("ENABLED").minInstanceCount(1)
                .maxInstanceCount(8));
          }
        }));
    sageMaker.createEndpoint(b -> b.endpointName(name).endpointConfigName(name + "-config"));
    List<String> arns = new ArrayList<>();
    for (String component : components) {
      arns.add(sageMaker.createInferenceComponent(b -> b.inferenceComponentName(component)
          .endpointName(name).variantName(VARIANT)
          .specification(s -> s.modelName(name + "-model").computeResourceRequirements(
              r -> r.numberOfAcceleratorDevicesRequired(1f).minMemoryRequiredInMb(1024)))
          .runtimeConfig(r -> r.copyCount(copies))).inferenceComponentArn());
    }
    return arns;
  }

  /** A request's JSON, as a test writes it. */
  public static com.fasterxml.jackson.databind.JsonNode json(String text) {
    try {
      return inferscale.json.Json.mapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static int desiredInstanceCount(SageMakerClient sageMaker, String name) {
    return sageMaker.describeEndpoint(b -> b.endpointName(name)).productionVariants().get(0)
        .desiredInstanceCount();
  }

  public static String createReservation(Ec2Client ec2, String ec2Type, int count) {
    return ec2.createCapacityReservation(b -> b.instanceType(ec2Type)
            .instancePlatform(CapacityReservationInstancePlatform.LINUX_UNIX)
            .availabilityZone(AwsEmulator.REGION + "a").instanceCount(count))
        .capacityReservation().capacityReservationId();
  }

  /** One datapoint per minute, values[i] at {@code first + i} minutes. */
  public static void putPerMinute(CloudWatchClient cloudWatch, String namespace, String name,
      List<MetricDimension> dimensions, Instant first, double... values) {
    List<Dimension> dims = dimensions.stream()
        .map(d -> Dimension.builder().name(d.name()).value(d.value()).build()).toList();
    List<MetricDatum> data = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      data.add(MetricDatum.builder().metricName(name).dimensions(dims)
          .timestamp(first.plusSeconds(60L * i)).value(values[i]).unit(StandardUnit.COUNT)
          .build());
    }
    cloudWatch.putMetricData(b -> b.namespace(namespace).metricData(data));
  }
}
