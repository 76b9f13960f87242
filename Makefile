# Build targets for `sam build`: template.yaml's functions and layer declare BuildMethod: makefile,
# so SAM runs build-<LogicalId> here with ARTIFACTS_DIR set to that resource's build folder. A Java
# function's package holds its jar in lib/; a Java layer's holds its jars in java/lib/. Lambda puts
# both on the class path.
#
#   sam build                 (samconfig.toml builds in source, one resource at a time: the
#                              targets share Maven's target/ folders)
#   make check-sam-build      (what CI runs: every target as sam build calls it, then each built
#                              package loads its handler, with and without the layer)

MVN ?= mvn -B -q
CHECK_DIR := target/sam-build-check

.PHONY: build-ScalerFunction build-ForecastFunction build-FleetDispatcherFunction build-Ec2SdkLayer \
	check-sam-build

build-ScalerFunction:
	$(MVN) -pl functions/scaler -am package -DskipTests
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp functions/scaler/target/inferscale-scaler.jar "$(ARTIFACTS_DIR)/lib/"

build-ForecastFunction:
	$(MVN) -pl functions/forecaster -am package -DskipTests
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp functions/forecaster/target/inferscale-forecaster.jar "$(ARTIFACTS_DIR)/lib/"

build-FleetDispatcherFunction:
	$(MVN) -pl functions/dispatcher -am package -DskipTests
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp functions/dispatcher/target/inferscale-dispatcher.jar "$(ARTIFACTS_DIR)/lib/"

# The capacity check's EC2 SDK, as the scaler's build lays it out (functions/scaler/pom.xml).
build-Ec2SdkLayer:
	$(MVN) -pl functions/scaler dependency:copy@ec2-sdk-layer
	mkdir -p "$(ARTIFACTS_DIR)"
	cp -R functions/scaler/target/ec2-sdk-layer/java "$(ARTIFACTS_DIR)/"

check-sam-build:
	rm -rf $(CHECK_DIR)
	$(MAKE) build-ScalerFunction ARTIFACTS_DIR="$(CURDIR)/$(CHECK_DIR)/ScalerFunction"
	$(MAKE) build-ForecastFunction ARTIFACTS_DIR="$(CURDIR)/$(CHECK_DIR)/ForecastFunction"
	$(MAKE) build-FleetDispatcherFunction ARTIFACTS_DIR="$(CURDIR)/$(CHECK_DIR)/FleetDispatcherFunction"
	$(MAKE) build-Ec2SdkLayer ARTIFACTS_DIR="$(CURDIR)/$(CHECK_DIR)/Ec2SdkLayer"
	.ci/load-handler $(CHECK_DIR)/ScalerFunction inferscale.scaler.ScalerHandler
	.ci/load-handler $(CHECK_DIR)/ForecastFunction inferscale.forecaster.ForecastHandler
	.ci/load-handler $(CHECK_DIR)/FleetDispatcherFunction inferscale.dispatcher.DispatcherHandler
	.ci/load-handler $(CHECK_DIR)/ScalerFunction inferscale.scaler.ScalerHandler \
	  $(CHECK_DIR)/Ec2SdkLayer software.amazon.awssdk.services.ec2.Ec2Client
