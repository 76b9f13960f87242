package inferscale.aws.adapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import inferscale.control.FailureReason;
import inferscale.control.PortFailure;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;

/** The forecaster's pause switch, read through the tagging API from endpoints SageMaker tagged. */
@ExtendWith(AwsEmulator.class)
class TaggedEndpointPauseTest {
  private TestAwsComponent aws;

  @BeforeEach
  void setUp() {
    aws = TestAwsComponent.create();
  }

  private boolean paused(String endpoint) {
    return new TaggedEndpointPause(aws.tagging(), endpoint).paused();
  }

  @Test
  void readsTheTagOfItsOwnEndpointOnly() {
    String paused = Fixtures.uniqueName("llm");
    String running = paused + "-b";
    Fixtures.createEndpoint(aws.sageMaker(), paused, 1, Map.of(PauseTag.KEY, " TRUE "));
    Fixtures.createEndpoint(aws.sageMaker(), running, 1, Map.of(PauseTag.KEY, "false"));
    String untagged = Fixtures.uniqueName("llm");
    Fixtures.createEndpoint(aws.sageMaker(), untagged, 1, Map.of("team", "llm"));

    assertTrue(paused(paused));
    assertFalse(paused(running));
    assertFalse(paused(untagged));
    assertFalse(paused("no-such-endpoint"));
  }

  @Test
  void matchesTheEndpointNameWhateverItsCase() {
    String name = "Llm-" + Fixtures.uniqueName("Prod");
    Fixtures.createEndpoint(aws.sageMaker(), name, 1, Map.of(PauseTag.KEY, "true"));

    assertTrue(paused(name));
  }

  @Test
  void anUnreachableTaggingApiIsAPortFailure() {
    // Nothing listens on the discard port: the connection is refused at once.
    ResourceGroupsTaggingApiClient unreachable = ResourceGroupsTaggingApiClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:9"))
        .region(Region.of(AwsEmulator.REGION))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create("test", "test")))
        .build();
    TaggedEndpointPause pause = new TaggedEndpointPause(unreachable, "llm");

    PortFailure failure = assertThrows(PortFailure.class, pause::paused);
    assertEquals(FailureReason.AWS_UNAVAILABLE, failure.reason());
    assertTrue(failure.getMessage().startsWith("GetResources failed"), failure.getMessage());
  }
}
