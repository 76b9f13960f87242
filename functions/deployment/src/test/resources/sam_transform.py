"""template.yaml as `sam deploy` submits it: packages at S3 locations, then the SAM transform.

Usage: sam_transform.py TEMPLATE LOCATIONS_JSON
LOCATIONS_JSON maps the logical ID of each function or layer to its package's s3://bucket/key,
as `sam package` writes them. Prints the CloudFormation template (JSON). Uses the SAM translator
that ships with cfn-lint.
"""
import json
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NoManagedPolicies:
    """The template names no managed policies, so there is nothing to look up in IAM."""

    def load(self):
        return {}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        template = yaml_parse(f.read())
    for logical_id, location in json.loads(sys.argv[2]).items():
        resource = template["Resources"][logical_id]
        key = "ContentUri" if resource["Type"] == "AWS::Serverless::LayerVersion" else "CodeUri"
        resource["Properties"][key] = location
    print(json.dumps(transform(template, {}, NoManagedPolicies())))


if __name__ == "__main__":
    main()
