output "global_url" {
  description = "URL clients use: the nearest healthy region."
  value       = "https://${var.domain_name}"
}

output "regional_urls" {
  description = "URL of each region's gateway, by Meridian region name (the values for meridian.regions.<region>.gateway-url)."
  value       = { for name, r in aws_route53_record.regional : name => "https://${r.fqdn}" }
}

output "health_check_ids" {
  description = "Route 53 health check id per region (for alarms on HealthCheckStatus)."
  value       = { for name, hc in aws_route53_health_check.gateway : name => hc.id }
}
