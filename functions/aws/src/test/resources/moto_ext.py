"""moto_server plus what InferScale's tests need and moto 5.2.1 lacks (test-only).

moto 5.2.1 does not implement CreateCapacityReservation, DescribeCapacityReservations or
CancelCapacityReservation; the capacity reader calls the second. This module adds the three to
moto's EC2 response class, backed by a small in-memory store. moto's CreateEndpointConfig also
checks the instance type against a fixed list (FakeEndpointConfig.validate_instance_type in
moto/sagemaker/models.py) that stops at ml.g4dn and ml.p3, so the GPU types LLM endpoints run on
(ml.g5, ml.g6, ml.g6e, ml.p4d, ml.p4de, ml.p5, ml.p5e) are added to what it accepts; and its
AddTags appends a key again where SageMaker replaces its value, so it replaces it. And moto's
GetMetricData rescans every stored datapoint for every period of the range (periods x points):
the forecaster's 28-day per-minute read of 14 days of history took over 5 minutes; for queries
that are plain MetricStats it is replaced by one pass that buckets the datapoints by period
(which also matches the namespace, as CloudWatch does; moto ignores it when dimensions are
given). moto's CloudFormation creates an AWS::Lambda::Function from a few of its properties
only (LambdaFunction.create_from_cloudformation_json), dropping Layers and Architectures; the
deployment test reads both back, so they are passed on too. moto's CloudFormation has no
AWS::CloudWatch::Alarm at all (it skips the resource, and a Fn::GetAtt of it fails the stack):
the alarm is created through moto's own PutMetricAlarm. Then it runs moto's own server, so one
port still serves every service:

    python3 moto_ext.py -H 127.0.0.1 -p PORT

Test-only routes (not AWS APIs):
    POST /moto-ext/fail?action=DescribeCapacityReservations&code=UnauthorizedOperation
        every later call of that EC2 action fails with that error code, until the next reset;
    POST /moto-ext/sagemaker/endpoint-status?name=NAME&status=Updating[&region=us-east-1]
            [&current=N&desired=M]
        sets an endpoint's status (moto's endpoints are always InService), so tests can see what
        the scaler does with an endpoint that is updating or failed; with current and desired,
        also its first variant's CurrentInstanceCount and DesiredInstanceCount (moto sets both to
        the desired count at once), so a replay can follow a cold-start model;
    POST /moto-ext/sagemaker/capacity?name=NAME&variant=VARIANT&limit=N[&region=us-east-1]
        from then on an UpdateEndpointWeightsAndCapacities that asks that variant for more than
        N instances is rolled back as SageMaker does when EC2 has no capacity: the variant keeps
        its counts, the endpoint is InService again with a FailureReason saying so (moto never
        fails an update); limit=-1 lifts the limit, and a later update that succeeds clears the
        reason;
    POST /moto-ext/sagemaker/component-delay?seconds=N
        from then on an inference component's current copy count reaches the desired count N
        seconds after an update asks for it (0, the default: at once, as moto's variants do);
    POST /moto-ext/servicequotas/sagemaker?type=ml.g5.xlarge&value=N[&region=us-east-1]
        sets the account's applied quota "ml.g5.xlarge for endpoint usage" (ListServiceQuotas for
        sagemaker answers with those set); an update beyond it fails with ResourceLimitExceeded,
        as SageMaker's does
    POST /moto-api/reset
        moto's own reset; also empties the reservation and component stores and clears injected
        failures.

moto 5.2.1 has no inference components either: CreateInferenceComponent,
DescribeInferenceComponent, ListInferenceComponents, UpdateInferenceComponentRuntimeConfig and
DeleteInferenceComponent are added, with tags on the component's ARN. Its endpoint configs may leave a variant's model out, as a
variant hosting components does. A component's copies need
its accelerators (NumberOfAcceleratorDevicesRequired, at least one) on the variant's instances;
with the variant's ManagedInstanceScaling enabled (in its endpoint config), the variant's
instance count follows the copies of all its components, within the scaling's bounds; without
it, copies that do not fit on the variant's instances stay pending (current below desired).
"""

import sys
import threading
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs

from moto.awslambda.models import LambdaFunction
from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult
from moto.ec2.responses import EC2Response
from moto.cloudwatch.models import (CloudWatchBackend, Dimension, Metric, MetricDataQuery,
                                    MetricStat, Statistics, cloudwatch_backends)
from moto.core.common_models import CloudFormationModel
from moto.sagemaker.models import FakeEndpointConfig, SageMakerModelBackend
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.responses import SageMakerResponse
from moto import server as moto_server

_LOCK = threading.Lock()
_RESERVATIONS = {}  # (account, region) -> list of reservation dicts
_FAILURES = {}  # EC2 action name -> error code
_CAPACITY = {}  # (region, endpoint, variant) -> most instances EC2 can provide
_COMPONENTS = {}  # (account, region) -> {name: FakeInferenceComponent}
_COMPONENT_DELAY = [0.0]  # seconds from an update to its copies serving
_QUOTAS = {}  # region -> {instance type: applied endpoint-usage quota}
INSUFFICIENT_CAPACITY = (
    "Unable to provision requested ML compute capacity due to InsufficientInstanceCapacity"
    " error. Please retry using a different ML instance type or after some time.")


class _InjectedFailure(ServiceException):
    def __init__(self, code, action):
        super().__init__(code, f"{action} failed: injected by the test ({code})")


def _fail_if_injected(action):
    code = _FAILURES.get(action)
    if code:
        raise _InjectedFailure(code, action)


def _key(response):
    return (response.current_account, response.region)


def create_capacity_reservation(self):
    _fail_if_injected("CreateCapacityReservation")
    count = int(self._get_param("InstanceCount"))
    reservation = {
        "CapacityReservationId": "cr-" + uuid.uuid4().hex[:17],
        "OwnerId": self.current_account,
        "InstanceType": self._get_param("InstanceType"),
        "InstancePlatform": self._get_param("InstancePlatform") or "Linux/UNIX",
        "AvailabilityZone": self._get_param("AvailabilityZone") or self.region + "a",
        "Tenancy": self._get_param("Tenancy") or "default",
        "TotalInstanceCount": count,
        "AvailableInstanceCount": count,
        "State": "active",
        "StartDate": datetime.now(timezone.utc),
        "EndDateType": self._get_param("EndDateType") or "unlimited",
        "InstanceMatchCriteria": self._get_param("InstanceMatchCriteria") or "open",
        "CreateDate": datetime.now(timezone.utc),
    }
    reservation["CapacityReservationArn"] = (
        f"arn:aws:ec2:{self.region}:{self.current_account}:capacity-reservation/"
        + reservation["CapacityReservationId"]
    )
    with _LOCK:
        _RESERVATIONS.setdefault(_key(self), []).append(reservation)
    return ActionResult({"CapacityReservation": reservation})


def cancel_capacity_reservation(self):
    _fail_if_injected("CancelCapacityReservation")
    wanted = self._get_param("CapacityReservationId")
    with _LOCK:
        for reservation in _RESERVATIONS.get(_key(self), []):
            if reservation["CapacityReservationId"] == wanted:
                reservation["State"] = "cancelled"
                reservation["AvailableInstanceCount"] = 0
    return ActionResult({"Return": True})


_FILTER_FIELDS = {
    "instance-type": "InstanceType",
    "state": "State",
    "availability-zone": "AvailabilityZone",
    "instance-platform": "InstancePlatform",
    "tenancy": "Tenancy",
    "owner-id": "OwnerId",
    "instance-match-criteria": "InstanceMatchCriteria",
}


def describe_capacity_reservations(self):
    _fail_if_injected("DescribeCapacityReservations")
    ids = set(self._get_param("CapacityReservationIds", []))
    filters = self._filters_from_querystring()
    with _LOCK:
        found = list(_RESERVATIONS.get(_key(self), []))
    for name, values in filters.items():
        field = _FILTER_FIELDS.get(name)
        if field is None:
            raise ServiceException("InvalidParameterValue", f"unsupported filter {name}")
        found = [r for r in found if str(r[field]) in values]
    if ids:
        found = [r for r in found if r["CapacityReservationId"] in ids]
    return ActionResult({"CapacityReservations": found})


EC2Response.create_capacity_reservation = create_capacity_reservation
EC2Response.cancel_capacity_reservation = cancel_capacity_reservation
EC2Response.describe_capacity_reservations = describe_capacity_reservations


def _sizes(family, sizes):
    return {f"ml.{family}.{size}" for size in sizes}


# SageMaker real-time inference GPU types moto 5.2.1 rejects.
LLM_INSTANCE_TYPES = frozenset(
    _sizes("g5", ["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge",
                  "48xlarge"])
    | _sizes("g6", ["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge",
                    "48xlarge"])
    | _sizes("g6e", ["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge",
                     "24xlarge", "48xlarge"])
    | {"ml.p4d.24xlarge", "ml.p4de.24xlarge", "ml.p5.48xlarge", "ml.p5e.48xlarge"}
)

_original_validate_instance_type = FakeEndpointConfig.validate_instance_type


def validate_instance_type(self, instance_type):
    if instance_type in LLM_INSTANCE_TYPES:
        return
    _original_validate_instance_type(self, instance_type)


FakeEndpointConfig.validate_instance_type = validate_instance_type


_original_get_metric_data = CloudWatchBackend.get_metric_data


def get_metric_data(self, queries, start_time, end_time, scan_by="TimestampAscending"):
    start_time = start_time.replace(microsecond=0)
    end_time = end_time.replace(microsecond=0)
    if start_time >= end_time or any("MetricStat" not in q for q in queries):
        # validation errors and metric math / insights: moto's own implementation
        return _original_get_metric_data(self, queries, start_time, end_time, scan_by)
    in_range = [md for md in self.get_all_metrics() if start_time <= md.timestamp < end_time]
    results = []
    for query in queries:
        metric_stat = query["MetricStat"]
        metric = metric_stat["Metric"]
        period = int(metric_stat["Period"])
        stat = metric_stat["Stat"]
        unit = metric_stat.get("Unit")
        dimensions = sorted(
            Dimension(name=d["Name"], value=d["Value"]) for d in metric.get("Dimensions", [])
        )
        buckets = {}
        for md in in_range:
            if md.namespace != metric["Namespace"] or md.name != metric["MetricName"]:
                continue
            if dimensions and sorted(md.dimensions) != dimensions:
                continue
            if unit and md.unit != unit:
                continue
            index = int((md.timestamp - start_time).total_seconds()) // period
            buckets.setdefault(index, []).append(md)
        values, timestamps = [], []
        for index in sorted(buckets):
            stats = Statistics([stat], start_time + timedelta(seconds=index * period))
            stats.metric_data = buckets[index]
            values.append(stats.get_statistics_for_type(stat))
            timestamps.append(stats.timestamp)
        if scan_by == "TimestampDescending":
            values.reverse()
            timestamps.reverse()
        if query.get("ReturnData", True):
            results.append({
                "id": query["Id"],
                "label": query.get("Label") or f"{metric['MetricName']} {stat}",
                "values": values,
                "timestamps": timestamps,
                "status_code": "Complete",
            })
    return results


CloudWatchBackend.get_metric_data = get_metric_data


_original_update_weights = SageMakerModelBackend.update_endpoint_weights_and_capacities


def update_endpoint_weights_and_capacities(self, endpoint_name, desired_weights_and_capacities):
    endpoint = self.endpoints.get(endpoint_name)
    before = {v["VariantName"]: dict(v) for v in endpoint.production_variants} if endpoint else {}
    _check_quota(self, endpoint, desired_weights_and_capacities)
    arn = _original_update_weights(self, endpoint_name, desired_weights_and_capacities)
    short = [c["VariantName"] for c in desired_weights_and_capacities
             if c.get("DesiredInstanceCount") is not None
             and c["DesiredInstanceCount"] > _CAPACITY.get(
                 (self.region_name, endpoint_name, c["VariantName"]), float("inf"))]
    if short:
        # SageMaker rolls the whole update back and says why.
        endpoint.production_variants[:] = list(before.values())
        endpoint.failure_reason = INSUFFICIENT_CAPACITY
    else:
        endpoint.failure_reason = None
    endpoint.last_modified_time = datetime.now(timezone.utc)  # moto leaves it at creation
    endpoint.endpoint_status = "InService"
    return arn


SageMakerModelBackend.update_endpoint_weights_and_capacities = update_endpoint_weights_and_capacities


def _in_use(backend, instance_type, leave_out):
    """Instances of a type the account's endpoints hold (the more of desired and current)."""
    used = 0
    for endpoint in backend.endpoints.values():
        for v in endpoint.production_variants:
            if (endpoint.endpoint_name, v["VariantName"]) == leave_out:
                continue
            if _variant_config(backend, endpoint, v["VariantName"]).get("InstanceType") \
                    == instance_type:
                used += max(v.get("DesiredInstanceCount") or 0, v.get("CurrentInstanceCount") or 0)
    return used


def _check_quota(backend, endpoint, capacities):
    quotas = _QUOTAS.get(backend.region_name, {})
    for c in capacities:
        if endpoint is None or c.get("DesiredInstanceCount") is None:
            continue
        instance_type = _variant_config(backend, endpoint, c["VariantName"]).get("InstanceType")
        quota = quotas.get(instance_type)
        if quota is None:
            continue
        used = _in_use(backend, instance_type, (endpoint.endpoint_name, c["VariantName"]))
        if used + c["DesiredInstanceCount"] > quota:
            raise ServiceException("ResourceLimitExceeded", (
                f"The account-level service limit '{instance_type} for endpoint usage' is"
                f" {int(quota)} Instances, with current utilization of {used} Instances and a"
                f" request delta of {c['DesiredInstanceCount']} Instances. Please use AWS Service"
                " Quotas to request an increase for this quota."))


def list_service_quotas(self):
    import json
    params = json.loads(self.body)
    if params.get("ServiceCode") != "sagemaker":
        return json.dumps({"Quotas": []})
    quotas = [{"ServiceCode": "sagemaker", "ServiceName": "Amazon SageMaker",
               "QuotaArn": f"arn:aws:servicequotas:{self.region}:123456789012:sagemaker/L-{i:08d}",
               "QuotaCode": f"L-{i:08d}", "QuotaName": f"{instance_type} for endpoint usage",
               "Value": float(value), "Unit": "None", "Adjustable": True, "GlobalQuota": False}
              for i, (instance_type, value) in enumerate(sorted(_QUOTAS.get(self.region,
                                                                           {}).items()))]
    return json.dumps({"Quotas": quotas})


from moto.resourcegroupstaggingapi.models import ResourceGroupsTaggingAPIBackend  # noqa: E402
from moto.servicequotas.responses import ServiceQuotasResponse  # noqa: E402

_original_tagged_resources = ResourceGroupsTaggingAPIBackend._get_resources_generator
_COMPONENT_TYPE = "sagemaker:inference-component"


def _tagged_resources(self, tag_filters=None, resource_type_filters=None):
    """moto's tagged resources, and the components this extension keeps (tagging API)."""
    others = [t for t in (resource_type_filters or []) if t != _COMPONENT_TYPE]
    if not resource_type_filters or others:
        yield from _original_tagged_resources(self, tag_filters=tag_filters,
                                              resource_type_filters=others or None)
    if resource_type_filters and _COMPONENT_TYPE not in resource_type_filters:
        return
    with _LOCK:
        components = list(_COMPONENTS.get((self.account_id, self.region_name), {}).values())
    for component in components:
        tags = {t["Key"]: t["Value"] for t in component.tags}
        if all(f["Key"] in tags and (not f.get("Values") or tags[f["Key"]] in f["Values"])
               for f in (tag_filters or [])):
            yield {"ResourceARN": component.arn,
                   "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}


ResourceGroupsTaggingAPIBackend._get_resources_generator = _tagged_resources

ServiceQuotasResponse.list_service_quotas = list_service_quotas


def add_tags(self, arn, tags):
    # SageMaker replaces a key's value; moto appends the key again, so a tag rewritten every
    # minute (the scaler's record of its last ask) grew every ListTags page by page.
    resource = self._get_resource_from_arn(arn)
    keys = {tag["Key"] for tag in tags}
    resource.tags = [tag for tag in resource.tags if tag["Key"] not in keys] + list(tags)
    return resource.tags


SageMakerModelBackend.add_tags = add_tags


# Accelerators (GPUs, or Neuron devices) per instance, for the types tests place components on.
_ACCELERATORS = {
    **{f"ml.{family}.{size}": count for family in ("g5", "g6", "g6e")
       for size, count in (("xlarge", 1), ("2xlarge", 1), ("4xlarge", 1), ("8xlarge", 1),
                           ("16xlarge", 1), ("12xlarge", 4), ("24xlarge", 4), ("48xlarge", 8))},
    "ml.p4d.24xlarge": 8, "ml.p4de.24xlarge": 8, "ml.p5.48xlarge": 8, "ml.p5e.48xlarge": 8,
}


class FakeInferenceComponent:
    def __init__(self, account, region, name, endpoint, variant, specification, copies, tags):
        self.name = name
        self.arn = f"arn:aws:sagemaker:{region}:{account}:inference-component/{name}"
        self.endpoint = endpoint
        self.variant = variant
        self.specification = specification or {}
        self.desired = copies
        self.current = copies
        self.ready_at = None  # when the desired copies serve, while an update is under way
        self.tags = list(tags or [])
        self.creation_time = self.last_modified_time = datetime.now(timezone.utc)

    def accelerators(self):
        needs = self.specification.get("ComputeResourceRequirements", {})
        return max(1, int(needs.get("NumberOfAcceleratorDevicesRequired") or 1))

    def status(self):
        return "InService" if self.ready_at is None else "Updating"

    def describe(self):
        return {
            "InferenceComponentName": self.name,
            "InferenceComponentArn": self.arn,
            "EndpointName": self.endpoint.endpoint_name,
            "EndpointArn": self.endpoint.arn,
            "VariantName": self.variant,
            "Specification": self.specification,
            "RuntimeConfig": {"DesiredCopyCount": self.desired,
                              "CurrentCopyCount": self.current},
            "CreationTime": self.creation_time,
            "LastModifiedTime": self.last_modified_time,
            "InferenceComponentStatus": self.status(),
        }


def _sagemaker(response):
    from moto.sagemaker.models import sagemaker_backends
    return sagemaker_backends[response.current_account][response.region]


def _components(response):
    return _COMPONENTS.setdefault(_key(response), {})


def _component(response, name):
    component = _components(response).get(name)
    if component is None:
        raise ValidationError(message=f"Could not find inference component \"{name}\".")
    _settle(response, component)
    return component


def _variant_config(backend, endpoint, variant):
    config = backend.endpoint_configs.get(endpoint.endpoint_config_name)
    for v in (config.production_variants if config else []):
        if v.get("VariantName") == variant:
            return v
    return {}


def _place(response, endpoint, variant):
    """Fits every component's copies on the variant: grows or shrinks a managed variant, or
    leaves copies that do not fit pending."""
    backend = _sagemaker(response)
    config = _variant_config(backend, endpoint, variant)
    per_instance = _ACCELERATORS.get(config.get("InstanceType"), 1)
    summary = next(v for v in endpoint.production_variants if v["VariantName"] == variant)
    components = [c for c in _components(response).values()
                  if c.endpoint is endpoint and c.variant == variant]
    managed = config.get("ManagedInstanceScaling", {})
    if managed.get("Status") == "ENABLED":
        needed = sum(c.desired * c.accelerators() for c in components)
        instances = -(-needed // per_instance)
        instances = max(int(managed.get("MinInstanceCount", 0)),
                        min(int(managed.get("MaxInstanceCount", instances)), instances))
        summary["CurrentInstanceCount"] = summary["DesiredInstanceCount"] = instances
    free = summary.get("CurrentInstanceCount", 0) * per_instance
    for c in components:
        fits = max(0, free // c.accelerators())
        c.placed = min(c.desired, fits)
        free -= c.placed * c.accelerators()


def _settle(response, component):
    if component.ready_at is not None and datetime.now(timezone.utc) >= component.ready_at:
        component.ready_at = None
    if component.ready_at is None:
        _place(response, component.endpoint, component.variant)
        component.current = component.placed


def create_inference_component(self):
    name = self._get_param("InferenceComponentName")
    endpoint = _sagemaker(self).endpoints.get(self._get_param("EndpointName"))
    if endpoint is None:
        raise ValidationError(message="Could not find endpoint \""
                               + str(self._get_param("EndpointName")) + "\".")
    if name in _components(self):
        raise ValidationError(
            message=f"Cannot create already existing inference component \"{name}\".")
    copies = int((self._get_param("RuntimeConfig") or {}).get("CopyCount", 1))
    component = FakeInferenceComponent(self.current_account, self.region, name, endpoint,
                                       self._get_param("VariantName"),
                                       self._get_param("Specification"), copies,
                                       self._get_param("Tags"))
    with _LOCK:
        _components(self)[name] = component
        _settle(self, component)
    return ActionResult({"InferenceComponentArn": component.arn})


def describe_inference_component(self):
    with _LOCK:
        return ActionResult(_component(self, self._get_param("InferenceComponentName")).describe())


def list_inference_components(self):
    endpoint = self._get_param("EndpointNameEquals")
    variant = self._get_param("VariantNameEquals")
    with _LOCK:
        found = [_component(self, name) for name in list(_components(self))]
    found = [c for c in found if (not endpoint or c.endpoint.endpoint_name == endpoint)
             and (not variant or c.variant == variant)]
    return ActionResult({"InferenceComponents": [
        {k: c.describe()[k] for k in ("InferenceComponentName", "InferenceComponentArn",
                                      "EndpointName", "EndpointArn", "VariantName",
                                      "InferenceComponentStatus", "CreationTime",
                                      "LastModifiedTime")} for c in found]})


def update_inference_component_runtime_config(self):
    with _LOCK:
        component = _component(self, self._get_param("InferenceComponentName"))
        if component.ready_at is not None:
            raise ValidationError(
                message=f"Inference component \"{component.name}\" is being updated.")
        config = self._get_param("DesiredRuntimeConfig") or {}
        component.desired = int(config.get("CopyCount", component.desired))
        component.last_modified_time = datetime.now(timezone.utc)
        component.ready_at = component.last_modified_time + timedelta(seconds=_COMPONENT_DELAY[0])
        _settle(self, component)
    return ActionResult({"InferenceComponentArn": component.arn})


def delete_inference_component(self):
    with _LOCK:
        component = _component(self, self._get_param("InferenceComponentName"))
        del _components(self)[component.name]
        component.desired = 0
        _place(self, component.endpoint, component.variant)
    return ActionResult({})


for _action in (create_inference_component, describe_inference_component,
                list_inference_components, update_inference_component_runtime_config,
                delete_inference_component):
    setattr(SageMakerResponse, _action.__name__, _action)


_original_validate_variants = SageMakerModelBackend.validate_production_variants


def validate_production_variants(self, production_variants):
    # A variant that hosts inference components names no model (moto requires one).
    _original_validate_variants(self, [v for v in production_variants if "ModelName" in v])


SageMakerModelBackend.validate_production_variants = validate_production_variants


_original_resource_from_arn = SageMakerModelBackend._get_resource_from_arn


def resource_from_arn(self, arn):
    if ":inference-component/" in arn:
        name = arn.split("/", 1)[1]
        with _LOCK:
            component = _COMPONENTS.get((self.account_id, self.region_name), {}).get(name)
        if component is None:
            raise ValidationError(message=f"Could not find inference-component with name {name}")
        return component
    return _original_resource_from_arn(self, arn)


SageMakerModelBackend._get_resource_from_arn = resource_from_arn


_original_create_function_from_stack = LambdaFunction.create_from_cloudformation_json.__func__


def create_function_from_stack(cls, resource_name, cloudformation_json, account_id, region_name,
                               **kwargs):
    function = _original_create_function_from_stack(
        cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    properties = cloudformation_json["Properties"]
    if "Layers" in properties:
        # a Ref to a layer in the same stack resolves to moto's LayerVersion, not its ARN
        # (and a layer left out by a condition, to None)
        function.layers = function._get_layers_data(
            [getattr(layer, "arn", layer) for layer in properties["Layers"] if layer])
    if "Architectures" in properties:
        function.architectures = properties["Architectures"]
    return function


LambdaFunction.create_from_cloudformation_json = classmethod(create_function_from_stack)


def _int_or_none(value):
    return None if value is None else int(value)


class StackAlarm(CloudFormationModel):
    """AWS::CloudWatch::Alarm in a stack: its properties as PutMetricAlarm takes them."""

    # moto files each model under the service its module names
    __module__ = "moto.cloudwatch.models"

    def __init__(self, alarm):
        self.alarm = alarm

    @property
    def physical_resource_id(self):
        return self.alarm.name  # what Ref of an alarm gives

    @staticmethod
    def cloudformation_name_type():
        return "AlarmName"

    @staticmethod
    def cloudformation_type():
        return "AWS::CloudWatch::Alarm"

    @classmethod
    def has_cfn_attr(cls, attr):
        return attr == "Arn"

    def get_cfn_attribute(self, attribute_name):
        from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

        if attribute_name == "Arn":
            return self.alarm.alarm_arn
        raise UnformattedGetAttTemplateException()

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id,
                                        region_name, **kwargs):
        p = cloudformation_json["Properties"]
        queries = None
        if "Metrics" in p:
            queries = []
            for query in p["Metrics"]:
                stat = query.get("MetricStat")
                metric_stat = None
                if stat:
                    metric = stat["Metric"]
                    metric_stat = MetricStat(
                        metric=Metric(
                            metric_name=metric["MetricName"],
                            namespace=metric["Namespace"],
                            dimensions=[Dimension(d["Name"], d["Value"])
                                        for d in metric.get("Dimensions", [])]),
                        period=int(stat["Period"]), stat=stat["Stat"], unit=stat.get("Unit"))
                queries.append(MetricDataQuery(
                    query_id=query["Id"], label=query.get("Label"), period=query.get("Period"),
                    return_data=query.get("ReturnData"), expression=query.get("Expression"),
                    metric_stat=metric_stat))
        alarm = cloudwatch_backends[account_id][region_name].put_metric_alarm(
            name=resource_name,
            namespace=p.get("Namespace"),
            metric_name=p.get("MetricName"),
            metric_data_queries=queries,
            comparison_operator=p["ComparisonOperator"],
            evaluation_periods=int(p["EvaluationPeriods"]),
            datapoints_to_alarm=_int_or_none(p.get("DatapointsToAlarm")),
            period=_int_or_none(p.get("Period")),
            threshold=float(p["Threshold"]),
            statistic=p.get("Statistic"),
            description=p.get("AlarmDescription"),
            dimensions=p.get("Dimensions", []),
            alarm_actions=p.get("AlarmActions", []),
            ok_actions=p.get("OKActions", []),
            insufficient_data_actions=p.get("InsufficientDataActions", []),
            treat_missing_data=p.get("TreatMissingData"),
        )
        return cls(alarm)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id,
                                        region_name):
        cloudwatch_backends[account_id][region_name].delete_alarms([resource_name])


class _ExtensionRoutes:
    """WSGI middleware: the test-only routes, then moto's own application."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/moto-ext/fail":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            action, code = query.get("action", [""])[0], query.get("code", [""])[0]
            if not action or not code:
                start_response("400 Bad Request", [("Content-Type", "text/plain")])
                return [b"action and code are required"]
            with _LOCK:
                _FAILURES[action] = code
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        if path == "/moto-ext/sagemaker/endpoint-status":
            from moto.core import DEFAULT_ACCOUNT_ID
            from moto.sagemaker.models import sagemaker_backends

            query = parse_qs(environ.get("QUERY_STRING", ""))
            name, status = query.get("name", [""])[0], query.get("status", [""])[0]
            region = query.get("region", ["us-east-1"])[0]
            endpoints = sagemaker_backends[DEFAULT_ACCOUNT_ID][region].endpoints
            if name not in endpoints or not status:
                start_response("404 Not Found", [("Content-Type", "text/plain")])
                return [f"no endpoint {name!r} in {region}".encode()]
            endpoints[name].endpoint_status = status
            current, desired = query.get("current", [None])[0], query.get("desired", [None])[0]
            if current is not None and desired is not None:
                variant = endpoints[name].production_variants[0]
                variant["CurrentInstanceCount"] = int(current)
                variant["DesiredInstanceCount"] = int(desired)
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        if path == "/moto-ext/sagemaker/capacity":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            key = (query.get("region", ["us-east-1"])[0], query.get("name", [""])[0],
                   query.get("variant", [""])[0])
            limit = int(query.get("limit", ["-1"])[0])
            with _LOCK:
                if limit < 0:
                    _CAPACITY.pop(key, None)
                else:
                    _CAPACITY[key] = limit
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        if path == "/moto-ext/sagemaker/component-delay":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            _COMPONENT_DELAY[0] = float(query.get("seconds", ["0"])[0])
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        if path == "/moto-ext/servicequotas/sagemaker":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            region = query.get("region", ["us-east-1"])[0]
            with _LOCK:
                _QUOTAS.setdefault(region, {})[query.get("type", [""])[0]] = \
                    int(query.get("value", ["0"])[0])
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        if path == "/moto-api/reset":
            with _LOCK:
                _QUOTAS.clear()
                _COMPONENTS.clear()
                _COMPONENT_DELAY[0] = 0.0
                _RESERVATIONS.clear()
                _FAILURES.clear()
                _CAPACITY.clear()
        return self.app(environ, start_response)


_original_app = moto_server.DomainDispatcherApplication


def _wrapped_app(*args, **kwargs):
    return _ExtensionRoutes(_original_app(*args, **kwargs))


if __name__ == "__main__":
    # moto's main() builds DomainDispatcherApplication(create_backend_app); wrap what it builds.
    moto_server.DomainDispatcherApplication = _wrapped_app
    moto_server.main(sys.argv[1:])
