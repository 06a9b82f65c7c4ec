# Global entry point: latency-based DNS across the regional gateways, with health checks so that a region that is
# down (or not ready) stops receiving new clients. Cross-region topic replication lives in ./replication, applied
# once per target region (see the README for why it cannot live in this module).

locals {
  tags = merge(var.tags, {
    Project     = "meridian"
    Environment = var.environment
    ManagedBy   = "terraform"
  })
}

# One HTTPS health check per region against its ALB and the gateway's readiness endpoint. Route 53 does not
# validate the certificate, so probing the ALB's own DNS name works although the certificate names domain_name.
resource "aws_route53_health_check" "gateway" {
  for_each = var.regions

  fqdn              = each.value.alb_dns_name
  port              = 443
  type              = "HTTPS"
  resource_path     = var.health_check_path
  enable_sni        = true
  request_interval  = var.health_check_interval_seconds
  failure_threshold = var.health_check_failure_threshold
  measure_latency   = true

  tags = merge(local.tags, {
    Name   = "meridian-${var.environment}-${each.key}-gateway"
    Region = each.key
  })
}

# domain_name: one latency record per region. Route 53 answers with the region closest (by measured latency) to the
# resolver, skipping regions whose health check fails or whose ALB has no healthy target (evaluate_target_health).
# Clients therefore land on the nearest healthy region; the session token keeps read-your-writes across a switch.
resource "aws_route53_record" "latency" {
  for_each = var.regions

  zone_id        = var.zone_id
  name           = var.domain_name
  type           = "A"
  set_identifier = each.key

  latency_routing_policy {
    region = each.value.aws_region
  }

  health_check_id = aws_route53_health_check.gateway[each.key].id

  alias {
    name                   = each.value.alb_dns_name
    zone_id                = each.value.alb_zone_id
    evaluate_target_health = true
  }
}

# <region>.domain_name: a fixed name per region. The gateways forward writes to a key's home region and fill remote
# copies through these names (meridian.regions.<region>.gateway-url), so they must always name that one region, healthy
# or not: the gateway's own circuit breaker and the namespace's failover policy decide what to do when it is down.
resource "aws_route53_record" "regional" {
  for_each = var.regions

  zone_id = var.zone_id
  name    = "${each.key}.${var.domain_name}"
  type    = "A"

  alias {
    name                   = each.value.alb_dns_name
    zone_id                = each.value.alb_zone_id
    evaluate_target_health = false
  }
}
