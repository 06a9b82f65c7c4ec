# Offline checks of the example environment with mocked AWS providers (terraform >= 1.7, provider binary needed for
# its schema only; no AWS credentials, nothing is created):
#
#   cd terraform/environments/example && terraform init -backend=false && terraform test
#
# They exercise every expression, for_each, validation and precondition against the real provider schema, the
# bootstrap order, and the number of replicators (one per ordered pair of regions).

mock_provider "aws" {
  alias = "us_east_1"

  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
  mock_resource "aws_msk_cluster" {
    defaults = {
      arn                        = "arn:aws:kafka:us-east-1:123456789012:cluster/meridian-prod-us-east/abc-1"
      bootstrap_brokers_sasl_iam = "b-1.example:9098,b-2.example:9098,b-3.example:9098"
    }
  }
  mock_resource "aws_msk_replicator" {
    defaults = { arn = "arn:aws:kafka:us-east-1:123456789012:replicator/x/y" }
  }
  mock_resource "aws_msk_configuration" {
    defaults = { arn = "arn:aws:kafka:us-east-1:123456789012:configuration/x/y", latest_revision = 1 }
  }
  mock_resource "aws_lb" {
    defaults = { dns_name = "meridian-prod-us-east-gw.us-east-1.elb.amazonaws.com", zone_id = "Z35SXDOTRQ7X7K", arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/meridian/1" }
  }
  mock_resource "aws_lb_target_group" {
    defaults = { arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/meridian/1" }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = { arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/meridian:1" }
  }

  # Shared defaults (HCL has no includes; the same blocks are repeated in the other two providers).
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_secretsmanager_secret_version" {
    defaults = { secret_string = "0123456789abcdef0123" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
}

mock_provider "aws" {
  alias = "eu_west_1"

  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_resource "aws_msk_cluster" {
    defaults = {
      arn                        = "arn:aws:kafka:eu-west-1:123456789012:cluster/meridian-prod-eu-west/abc-2"
      bootstrap_brokers_sasl_iam = "b-1.example:9098,b-2.example:9098,b-3.example:9098"
    }
  }
  mock_resource "aws_msk_replicator" {
    defaults = { arn = "arn:aws:kafka:eu-west-1:123456789012:replicator/x/y" }
  }
  mock_resource "aws_msk_configuration" {
    defaults = { arn = "arn:aws:kafka:eu-west-1:123456789012:configuration/x/y", latest_revision = 1 }
  }
  mock_resource "aws_lb" {
    defaults = { dns_name = "meridian-prod-eu-west-gw.eu-west-1.elb.amazonaws.com", zone_id = "Z32O12XQLNTSW2", arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/meridian/1" }
  }
  mock_resource "aws_lb_target_group" {
    defaults = { arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/meridian/1" }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = { arn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/meridian:1" }
  }

  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_secretsmanager_secret_version" {
    defaults = { secret_string = "0123456789abcdef0123" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
}

mock_provider "aws" {
  alias = "ap_south_1"

  mock_data "aws_region" {
    defaults = { name = "ap-south-1" }
  }
  mock_resource "aws_msk_cluster" {
    defaults = {
      arn                        = "arn:aws:kafka:ap-south-1:123456789012:cluster/meridian-prod-ap-south/abc-3"
      bootstrap_brokers_sasl_iam = "b-1.example:9098,b-2.example:9098,b-3.example:9098"
    }
  }
  mock_resource "aws_msk_replicator" {
    defaults = { arn = "arn:aws:kafka:ap-south-1:123456789012:replicator/x/y" }
  }
  mock_resource "aws_msk_configuration" {
    defaults = { arn = "arn:aws:kafka:ap-south-1:123456789012:configuration/x/y", latest_revision = 1 }
  }
  mock_resource "aws_lb" {
    defaults = { dns_name = "meridian-prod-ap-south-gw.ap-south-1.elb.amazonaws.com", zone_id = "ZP97RAFLXTNZK", arn = "arn:aws:elasticloadbalancing:ap-south-1:123456789012:loadbalancer/app/meridian/1" }
  }
  mock_resource "aws_lb_target_group" {
    defaults = { arn = "arn:aws:elasticloadbalancing:ap-south-1:123456789012:targetgroup/meridian/1" }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = { arn = "arn:aws:ecs:ap-south-1:123456789012:task-definition/meridian:1" }
  }

  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_secretsmanager_secret_version" {
    defaults = { secret_string = "0123456789abcdef0123" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
}

variables {
  environment      = "prod"
  domain_name      = "cache.example.com"
  route53_zone_id  = "Z0123456789ABCDEFGHIJ"
  gateway_image    = "123456789012.dkr.ecr.us-east-1.amazonaws.com/meridian/region-gateway:test"
  replicator_image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/meridian/replicator:test"

  networks = {
    "us-east" = {
      vpc_id                      = "vpc-0aaaaaaaaaaaaaaaa"
      private_subnet_ids          = ["subnet-0a1", "subnet-0a2", "subnet-0a3"]
      alb_subnet_ids              = ["subnet-0a4", "subnet-0a5", "subnet-0a6"]
      certificate_arn             = "arn:aws:acm:us-east-1:123456789012:certificate/1"
      internal_secret_arn         = "arn:aws:secretsmanager:us-east-1:123456789012:secret:meridian/prod/internal-AbCdEf"
      redis_auth_token_secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:meridian/prod/redis-auth-AbCdEf"
    }
    "eu-west" = {
      vpc_id                      = "vpc-0bbbbbbbbbbbbbbbb"
      private_subnet_ids          = ["subnet-0b1", "subnet-0b2", "subnet-0b3"]
      alb_subnet_ids              = ["subnet-0b4", "subnet-0b5"]
      certificate_arn             = "arn:aws:acm:eu-west-1:123456789012:certificate/2"
      internal_secret_arn         = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:meridian/prod/internal-AbCdEf"
      redis_auth_token_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:meridian/prod/redis-auth-GhIjKl"
    }
    "ap-south" = {
      vpc_id                      = "vpc-0cccccccccccccccc"
      private_subnet_ids          = ["subnet-0c1", "subnet-0c2", "subnet-0c3"]
      alb_subnet_ids              = ["subnet-0c4", "subnet-0c5"]
      certificate_arn             = "arn:aws:acm:ap-south-1:123456789012:certificate/3"
      internal_secret_arn         = "arn:aws:secretsmanager:ap-south-1:123456789012:secret:meridian/prod/internal-AbCdEf"
      redis_auth_token_secret_arn = "arn:aws:secretsmanager:ap-south-1:123456789012:secret:meridian/prod/redis-auth-MnOpQr"
    }
  }
}

run "bootstrap_step_1_regions_and_dns" {
  command = plan

  assert {
    condition     = length(output.replicators) == 0
    error_message = "No replicator may be planned before multi-VPC connectivity is on."
  }

  assert {
    condition     = length(module.global.health_check_ids) == 3
    error_message = "Expected one Route 53 health check per region."
  }

  assert {
    condition     = !module.region_us_east.msk_multi_vpc_enabled
    error_message = "Multi-VPC connectivity must be off on the first apply."
  }
}

run "bootstrap_step_2_replication" {
  command = apply # against the mocks

  variables {
    msk_multi_vpc_enabled            = true
    cross_region_replication_enabled = true
  }

  assert {
    condition     = length(output.replicators) == 3 && alltrue([for target, by_source in output.replicators : length(by_source) == 2 && !contains(keys(by_source), target)])
    error_message = "Expected 6 replicators: into each region, one from each other region."
  }

  assert {
    condition     = alltrue([for m in [module.region_us_east, module.region_eu_west, module.region_ap_south] : m.msk_multi_vpc_enabled])
    error_message = "Every source cluster needs multi-VPC connectivity and its cluster policy."
  }

  assert {
    condition     = output.regions["eu-west"].redis_configuration_endpoint != "" && output.regions["eu-west"].msk_bootstrap_brokers != ""
    error_message = "Region outputs must carry the Redis and MSK endpoints."
  }
}

run "replication_without_multi_vpc_is_refused" {
  command = plan

  variables {
    cross_region_replication_enabled = true
  }

  expect_failures = [terraform_data.bootstrap_order]
}

run "region_module_refuses_a_single_subnet" {
  command = plan

  module {
    source = "../../modules/region"
  }

  providers = {
    aws = aws.us_east_1
  }

  variables {
    meridian_region = "us-east"
    deployment_regions = {
      "us-east" = { gateway_url = "https://us-east.cache.example.com", id = 2 }
    }
    vpc_id                      = "vpc-0aaaaaaaaaaaaaaaa"
    private_subnet_ids          = ["subnet-0a1"] # MSK needs 2 or 3 AZs
    alb_subnet_ids              = ["subnet-0a4", "subnet-0a5"]
    certificate_arn             = "arn:aws:acm:us-east-1:123456789012:certificate/1"
    internal_secret_arn         = "arn:aws:secretsmanager:us-east-1:123456789012:secret:i-AbCdEf"
    redis_auth_token_secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:r-AbCdEf"
  }

  expect_failures = [var.private_subnet_ids]
}

run "region_module_requires_its_own_region_in_the_map" {
  command = plan

  module {
    source = "../../modules/region"
  }

  providers = {
    aws = aws.us_east_1
  }

  variables {
    meridian_region = "us-east"
    deployment_regions = {
      "eu-west" = { gateway_url = "https://eu-west.cache.example.com", id = 1 }
    }
    vpc_id                      = "vpc-0aaaaaaaaaaaaaaaa"
    private_subnet_ids          = ["subnet-0a1", "subnet-0a2", "subnet-0a3"]
    alb_subnet_ids              = ["subnet-0a4", "subnet-0a5"]
    certificate_arn             = "arn:aws:acm:us-east-1:123456789012:certificate/1"
    internal_secret_arn         = "arn:aws:secretsmanager:us-east-1:123456789012:secret:i-AbCdEf"
    redis_auth_token_secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:r-AbCdEf"
  }

  expect_failures = [aws_ecs_task_definition.gateway]
}
