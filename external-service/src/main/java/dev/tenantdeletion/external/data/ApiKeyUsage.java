package dev.tenantdeletion.external.data;

import dev.tenantdeletion.deletion.plan.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.LocalDate;

@Entity
@Table(name = "api_key_usages")
public class ApiKeyUsage extends TenantOwnedEntity {

    @Column(name = "api_name", nullable = false, length = 100)
    public String apiName;

    @Column(name = "usage_date", nullable = false)
    public LocalDate usageDate;

    @Column(name = "request_count", nullable = false)
    public int requestCount;
}
