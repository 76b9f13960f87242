package inferscale.reliability;

/** What the controller did in one scenario, as the test observed it (never written by hand). */
public final class Outcome {
  private String name;
  private String did;

  Outcome(String name) {
    this.name = name;
  }

  /** Refines the scenario's name (parameterized tests). */
  public Outcome name(String name) {
    this.name = name;
    return this;
  }

  /** Records what happened: the decision, the endpoint afterwards, the calls made. */
  public Outcome did(String what) {
    this.did = what;
    return this;
  }

  String name() {
    return name;
  }

  String didOrNull() {
    return did;
  }
}
