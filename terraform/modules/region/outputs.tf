output "meridian_region" {
  description = "Meridian name of this region."
  value       = var.meridian_region
}

output "aws_region" {
  description = "AWS region this module was applied in (the latency-routing region of its DNS record)."
  value       = data.aws_region.current.name
}

output "gateway_url" {
  description = "Base URL of the gateway through this region's ALB DNS name (the certificate names the Route 53 names, so clients should use those)."
  value       = "https://${aws_lb.gateway.dns_name}"
}

output "alb_dns_name" {
  description = "DNS name of the gateway's ALB (alias target for Route 53)."
  value       = aws_lb.gateway.dns_name
}

output "alb_zone_id" {
  description = "Canonical hosted zone id of the ALB (alias zone id for Route 53)."
  value       = aws_lb.gateway.zone_id
}

output "alb_arn" {
  description = "ARN of the gateway's ALB."
  value       = aws_lb.gateway.arn
}

output "redis_configuration_endpoint" {
  description = "Configuration endpoint of the Redis Cluster (host only; TLS on port redis_port)."
  value       = aws_elasticache_replication_group.redis.configuration_endpoint_address
}

output "redis_port" {
  description = "Redis port."
  value       = local.redis_port
}

output "msk_cluster_arn" {
  description = "ARN of the region's MSK cluster (source or target of cross-region topic replication)."
  value       = aws_msk_cluster.this.arn
}

output "msk_bootstrap_brokers" {
  description = "Bootstrap brokers for SASL/IAM over TLS (port 9098)."
  value       = aws_msk_cluster.this.bootstrap_brokers_sasl_iam
}

output "msk_subnet_ids" {
  description = "Subnets of the MSK brokers (where MSK Replicator places its network interfaces)."
  value       = var.private_subnet_ids
}

output "msk_replication_security_group_id" {
  description = "Security group for MSK Replicator network interfaces in this VPC; the brokers accept 9098 from it."
  value       = aws_security_group.msk_replication.id
}

output "msk_multi_vpc_enabled" {
  description = "Whether multi-VPC connectivity and the replicator cluster policy are in place (required before this cluster can be a cross-region replication source)."
  value       = var.msk_multi_vpc_enabled && length(aws_msk_cluster_policy.replicator) == 1
}

output "ecs_cluster_name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "gateway_service_name" {
  description = "Name of the region-gateway ECS service."
  value       = aws_ecs_service.gateway.name
}

output "replicator_service_name" {
  description = "Name of the replicator ECS service."
  value       = aws_ecs_service.replicator.name
}

output "log_groups" {
  description = "CloudWatch log groups of this region."
  value = {
    gateway    = aws_cloudwatch_log_group.gateway.name
    replicator = aws_cloudwatch_log_group.replicator.name
    msk        = aws_cloudwatch_log_group.msk.name
    redis_slow = aws_cloudwatch_log_group.redis_slow_log.name
  }
}

output "security_group_ids" {
  description = "Security groups created by the module, by role."
  value = {
    alb             = aws_security_group.alb.id
    gateway         = aws_security_group.gateway.id
    replicator      = aws_security_group.replicator.id
    redis           = aws_security_group.redis.id
    msk             = aws_security_group.msk.id
    msk_replication = aws_security_group.msk_replication.id
  }
}
