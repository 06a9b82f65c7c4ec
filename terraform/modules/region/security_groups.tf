# Security groups: one per role, and rules that name the peer group rather than CIDRs, so that the only paths are
#   clients           -> ALB         443 (80 only redirects)
#   ALB               -> gateway     8080
#   gateway/replicator -> Redis      6379 (TLS; the replicator applies replicated events to the local Redis too)
#   gateway/replicator -> MSK        9098 (SASL/IAM over TLS)
#   MSK Replicator     -> MSK        9098 (the ENIs MSK Replicator places in this VPC when this region is a target)
#   gateway/replicator -> anywhere   443 (ECR, Secrets Manager, CloudWatch Logs, STS; the gateway also calls the
#                                         other regions' gateways for forwarded writes and remote fills)

resource "aws_security_group" "alb" {
  name        = "${local.name}-alb"
  description = "Meridian ${var.meridian_region}: load balancer of the region gateway"
  vpc_id      = var.vpc_id
  tags        = merge(local.tags, { Name = "${local.name}-alb" })
}

resource "aws_security_group" "gateway" {
  name        = "${local.name}-gateway"
  description = "Meridian ${var.meridian_region}: region-gateway tasks"
  vpc_id      = var.vpc_id
  tags        = merge(local.tags, { Name = "${local.name}-gateway" })
}

resource "aws_security_group" "replicator" {
  name        = "${local.name}-replicator"
  description = "Meridian ${var.meridian_region}: replicator tasks"
  vpc_id      = var.vpc_id
  tags        = merge(local.tags, { Name = "${local.name}-replicator" })
}

resource "aws_security_group" "redis" {
  name        = "${local.name}-redis"
  description = "Meridian ${var.meridian_region}: ElastiCache Redis cluster"
  vpc_id      = var.vpc_id
  tags        = merge(local.tags, { Name = "${local.name}-redis" })
}

resource "aws_security_group" "msk" {
  name        = "${local.name}-msk"
  description = "Meridian ${var.meridian_region}: MSK brokers"
  vpc_id      = var.vpc_id
  tags        = merge(local.tags, { Name = "${local.name}-msk" })
}

resource "aws_security_group" "msk_replication" {
  name        = "${local.name}-msk-replication"
  description = "Meridian ${var.meridian_region}: MSK Replicator network interfaces"
  vpc_id      = var.vpc_id
  tags        = merge(local.tags, { Name = "${local.name}-msk-replication" })
}

# --- client traffic to the ALB ---------------------------------------------------------------------------------------

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  for_each = toset(var.alb_ingress_cidr_blocks)

  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from clients"
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  tags              = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  for_each = toset(var.alb_ingress_cidr_blocks)

  security_group_id = aws_security_group.alb.id
  description       = "HTTP from clients, redirected to HTTPS"
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  tags              = local.tags
}

# --- group-to-group paths ----------------------------------------------------------------------------------------------

locals {
  # Each path is written once and becomes an egress rule on the source and an ingress rule on the destination.
  sg_paths = {
    alb_to_gateway         = { from = aws_security_group.alb.id, to = aws_security_group.gateway.id, port = local.http_port, what = "HTTP to the gateway" }
    gateway_to_redis       = { from = aws_security_group.gateway.id, to = aws_security_group.redis.id, port = local.redis_port, what = "Redis TLS" }
    replicator_to_redis    = { from = aws_security_group.replicator.id, to = aws_security_group.redis.id, port = local.redis_port, what = "Redis TLS" }
    gateway_to_msk         = { from = aws_security_group.gateway.id, to = aws_security_group.msk.id, port = local.msk_iam_port, what = "Kafka SASL/IAM" }
    replicator_to_msk      = { from = aws_security_group.replicator.id, to = aws_security_group.msk.id, port = local.msk_iam_port, what = "Kafka SASL/IAM" }
    msk_replication_to_msk = { from = aws_security_group.msk_replication.id, to = aws_security_group.msk.id, port = local.msk_iam_port, what = "Kafka SASL/IAM from MSK Replicator" }
  }
}

resource "aws_vpc_security_group_egress_rule" "path" {
  for_each = local.sg_paths

  security_group_id            = each.value.from
  referenced_security_group_id = each.value.to
  description                  = each.value.what
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  tags                         = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "path" {
  for_each = local.sg_paths

  security_group_id            = each.value.to
  referenced_security_group_id = each.value.from
  description                  = each.value.what
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  tags                         = local.tags
}

# --- outbound HTTPS of the tasks ---------------------------------------------------------------------------------------

resource "aws_vpc_security_group_egress_rule" "https_out" {
  for_each = {
    gateway    = aws_security_group.gateway.id
    replicator = aws_security_group.replicator.id
  }

  security_group_id = each.value
  description       = "HTTPS to AWS APIs, ECR and the other regions' gateways"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  tags              = local.tags
}
