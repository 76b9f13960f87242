"""Seeds the emulator for the cold-start benchmark: an endpoint and the traffic its first cycle
reads (the scaler's last 12 minutes; two days of history for the forecaster).

Usage: seed.py ENDPOINT_URL ENDPOINT_NAME
"""
import sys
from datetime import datetime, timedelta, timezone

import boto3
from botocore.config import Config

url, name = sys.argv[1], sys.argv[2]
session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test",
                                region_name="us-east-1")
sagemaker = session.client("sagemaker", endpoint_url=url)
# moto cannot read gzip bodies, which botocore sends for large PutMetricData calls
cloudwatch = session.client("cloudwatch", endpoint_url=url,
                            config=Config(disable_request_compression=True))

sagemaker.create_model(ModelName=name, ExecutionRoleArn="arn:aws:iam::123456789012:role/sm",
                       PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/llm:1"})
sagemaker.create_endpoint_config(EndpointConfigName=name, ProductionVariants=[{
    "VariantName": "AllTraffic", "ModelName": name, "InitialInstanceCount": 2,
    "InstanceType": "ml.g5.xlarge"}])
sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=name)

now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
points = [{"MetricName": "Invocations", "Timestamp": now - timedelta(minutes=m), "Value": 2400.0,
           "Unit": "Count", "Dimensions": [{"Name": "EndpointName", "Value": name},
                                           {"Name": "VariantName", "Value": "AllTraffic"}]}
          for m in range(1, 2 * 24 * 60 + 1)]
for i in range(0, len(points), 1000):
    cloudwatch.put_metric_data(Namespace="AWS/SageMaker", MetricData=points[i:i + 1000])
