# One Meridian region: Redis Cluster (ElastiCache), Kafka (MSK), the region-gateway and replicator services on
# ECS Fargate, and the load balancer in front of the gateway. The VPC is an input: networking is owned by whoever
# owns the account's network, and a cache must not be the thing that decides CIDR plans.

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  # Every name this module creates starts with this prefix. Its length is bounded by the validations on
  # var.environment and var.meridian_region so that the ALB and target group names stay within 32 characters.
  name = "meridian-${var.environment}-${var.meridian_region}"

  tags = merge(var.tags, {
    Project     = "meridian"
    Environment = var.environment
    Region      = var.meridian_region
    AwsRegion   = data.aws_region.current.name
    ManagedBy   = "terraform"
  })

  http_port    = 8080
  redis_port   = 6379
  msk_iam_port = 9098

  health_path = "/q/health/ready"

  log_group_prefix = "/meridian/${var.environment}/${var.meridian_region}"
}
