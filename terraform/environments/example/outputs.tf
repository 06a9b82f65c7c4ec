output "global_url" {
  description = "URL clients use (nearest healthy region)."
  value       = module.global.global_url
}

output "regional_urls" {
  description = "Each region's gateway URL."
  value       = module.global.regional_urls
}

output "regions" {
  description = "Per region: ALB, Redis configuration endpoint, MSK bootstrap brokers and ECS names."
  value = {
    for name, m in local.region_outputs : name => {
      aws_region                   = m.aws_region
      alb_dns_name                 = m.alb_dns_name
      alb_zone_id                  = m.alb_zone_id
      redis_configuration_endpoint = m.redis_configuration_endpoint
      msk_bootstrap_brokers        = m.msk_bootstrap_brokers
      ecs_cluster_name             = m.ecs_cluster_name
      log_groups                   = m.log_groups
    }
  }
}

output "replicators" {
  description = "MSK replicator ARNs by target region, then source region (empty until bootstrap step 2)."
  value = merge(
    { for m in module.replication_into_us_east : "us-east" => m.replicator_arns },
    { for m in module.replication_into_eu_west : "eu-west" => m.replicator_arns },
    { for m in module.replication_into_ap_south : "ap-south" => m.replicator_arns },
  )
}
