package inferscale.cli;

import inferscale.control.PortFailure;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * The caller's AWS settings, checked with the SDK's own providers before any call, so that what
 * is missing is said in one line naming what to set rather than in the SDK's words.
 */
final class AwsSetup {
  private final String endpointSetting;
  private final String endpointUrl;
  private final Region region;

  private AwsSetup(String endpointSetting, String endpointUrl, Region region) {
    this.endpointSetting = endpointSetting;
    this.endpointUrl = endpointUrl;
    this.region = region;
  }

  /** A setting the AWS calls cannot work without, said as what to set. */
  static final class Problem extends Exception {
    private static final long serialVersionUID = 1L;

    Problem(String message) {
      super(message);
    }
  }

  /** The settings the SDK will use, as it resolves them (system properties before variables). */
  static AwsSetup resolve() throws Problem {
    String property = System.getProperty("aws.endpointUrl");
    String setting = property != null ? "aws.endpointUrl" : "AWS_ENDPOINT_URL";
    String url = property != null ? property : System.getenv("AWS_ENDPOINT_URL");
    if (url != null && !isHttpUrl(url)) {
      throw new Problem(setting + " is '" + url + "', not a URL: set it to one like"
          + " http://localhost:5000, or unset it to call AWS");
    }
    Region region;
    try {
      region = DefaultAwsRegionProviderChain.builder().build().getRegion();
    } catch (SdkClientException e) {
      throw new Problem("no AWS region: set AWS_REGION (e.g. AWS_REGION=us-east-1), or a region"
          + " in your AWS profile");
    }
    try (DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build()) {
      credentials.resolveCredentials();
    } catch (SdkClientException e) {
      throw new Problem("no AWS credentials: set AWS_PROFILE to a profile that has them"
          + " (aws configure, aws sso login), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }
    return new AwsSetup(url == null ? null : setting, url, region);
  }

  /** What failed, naming where the calls went when they could not get there. */
  String explain(PortFailure failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
        return unreachable(cause.getMessage());
      }
      if (cause instanceof UnknownHostException) {
        return unreachable("unknown host " + cause.getMessage());
      }
    }
    return failure.getMessage();
  }

  private String unreachable(String reason) {
    if (endpointUrl != null) {
      return "cannot reach " + endpointUrl + " (" + reason + "), set by " + endpointSetting
          + ": check that URL, or unset " + endpointSetting + " to call AWS";
    }
    return "cannot reach AWS in " + region + " (" + reason + "): check the network and any proxy"
        + " settings";
  }

  private static boolean isHttpUrl(String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return uri.getHost() != null && (scheme.equals("http") || scheme.equals("https"));
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
