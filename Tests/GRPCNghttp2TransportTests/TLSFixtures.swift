// Test certificates, made once with the openssl command (EC P-256; valid for 100 years except
// "expired"): a CA, a server certificate for localhost and 127.0.0.1, a client certificate, a server
// certificate from another CA, an expired server certificate, and a key matching nothing.
enum Fixtures {
  static let caPem = """
    -----BEGIN CERTIFICATE-----
    MIIBjjCCATWgAwIBAgIUNimiDcrLzu9CGVAOA7ShtcyyM/cwCgYIKoZIzj0EAwIw
    HDEaMBgGA1UEAwwRT252ZXJhIEZpeHR1cmUgQ0EwIBcNMjYxMTI3MTAxOTIwWhgP
    MjEyNjExMDMxMDE5MjBaMBwxGjAYBgNVBAMMEU9udmVyYSBGaXh0dXJlIENBMFkw
    EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAExzy42uFOWzQoqkrccFesf5dSzrwDOHJF
    O/RGzSAIkh0192LkYOqj1PwMr0lL5id/43zuPtiIesvr1p5L04nCuKNTMFEwHQYD
    VR0OBBYEFJcEQ5gP0kDZo5Wc8oW5VmdhUt4JMB8GA1UdIwQYMBaAFJcEQ5gP0kDZ
    o5Wc8oW5VmdhUt4JMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDRwAwRAIg
    KxUIPJH9KTzaM2gVYAuqLj1k1LlxCzRMA5s9QKlRVsACIFcha+8MNIhXXoWAfUDY
    eCXPQCYag7Rew+26q9spnpo2
    -----END CERTIFICATE-----
    """
  static let serverPem = """
    -----BEGIN CERTIFICATE-----
    MIIBkjCCATigAwIBAgIUDtlglgXp1B7YzAfdTiAiV+0Nob8wCgYIKoZIzj0EAwIw
    HDEaMBgGA1UEAwwRT252ZXJhIEZpeHR1cmUgQ0EwIBcNMjYxMTI3MTAxOTIwWhgP
    MjEyNjExMDMxMDE5MjBaMBQxEjAQBgNVBAMMCWxvY2FsaG9zdDBZMBMGByqGSM49
    AgEGCCqGSM49AwEHA0IABAcWeKY0Mn4nyfnNWv6Fjp2FmNFvEvpE3aDDtf0jJ5iC
    VIHTnzUqAzoD2nDZ8fe+Qi3at8yULXDdx/DqU/z8QiSjXjBcMBoGA1UdEQQTMBGC
    CWxvY2FsaG9zdIcEfwAAATAdBgNVHQ4EFgQUyYbkafdckJA/7V4oTgldZbCMoZQw
    HwYDVR0jBBgwFoAUlwRDmA/SQNmjlZzyhblWZ2FS3gkwCgYIKoZIzj0EAwIDSAAw
    RQIhAKJCGHJz0ekRsSnFgyO4wPFkGEUfMgnz7pF9FZtM7voVAiBpMvGVa1G3xIOu
    4v3+2wjS3l9F+d3BglB9/8MsftUjRQ==
    -----END CERTIFICATE-----
    """
  static let serverKey = """
    -----BEGIN PRIVATE KEY-----
    MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgULK1QDrZG3FZK+MX
    buD6clv6qt6N0HT6a1aeHrEbeDyhRANCAAQHFnimNDJ+J8n5zVr+hY6dhZjRbxL6
    RN2gw7X9IyeYglSB0581KgM6A9pw2fH3vkIt2rfMlC1w3cfw6lP8/EIk
    -----END PRIVATE KEY-----
    """
  static let clientPem = """
    -----BEGIN CERTIFICATE-----
    MIIBKTCB0AIUDtlglgXp1B7YzAfdTiAiV+0NocAwCgYIKoZIzj0EAwIwHDEaMBgG
    A1UEAwwRT252ZXJhIEZpeHR1cmUgQ0EwIBcNMjYxMTI3MTAxOTIxWhgPMjEyNjEx
    MDMxMDE5MjFaMBExDzANBgNVBAMMBmNsaWVudDBZMBMGByqGSM49AgEGCCqGSM49
    AwEHA0IABBwScyPz1WTZrDt8T5JztQCObmz1Dptl/0DjkaFZqz4+Du7fFKMXguQz
    vN3EgnR+xxxqNYvgBtOkXsrmr0+i1/0wCgYIKoZIzj0EAwIDSAAwRQIgdy1sKTJI
    iEAxYNmOWugmd71Vi8K/yp5lRz2gJRNC7loCIQDKzHJzU3bdcl8wRORKMGs/BmT7
    Kj2qPWXabowfC9Umiw==
    -----END CERTIFICATE-----
    """
  static let clientKey = """
    -----BEGIN PRIVATE KEY-----
    MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgyySHjjeVhWXpDLKs
    0hrioRm3lkVRxkCtkU0mSGzZDKWhRANCAAQcEnMj89Vk2aw7fE+Sc7UAjm5s9Q6b
    Zf9A45GhWas+Pg7u3xSjF4LkM7zdxIJ0fsccajWL4AbTpF7K5q9Potf9
    -----END PRIVATE KEY-----
    """
  static let otherCaPem = """
    -----BEGIN CERTIFICATE-----
    MIIBjTCCATOgAwIBAgIUBxxevgbcviW69m0lkdTPo36KX4EwCgYIKoZIzj0EAwIw
    GzEZMBcGA1UEAwwQT3RoZXIgRml4dHVyZSBDQTAgFw0yNjExMjcxMDE5MjBaGA8y
    MTI2MTEwMzEwMTkyMFowGzEZMBcGA1UEAwwQT3RoZXIgRml4dHVyZSBDQTBZMBMG
    ByqGSM49AgEGCCqGSM49AwEHA0IABPQSbqYGT1vZ+F71TvRSQMK5U1nqWBJTu155
    lxnp0Y4WfZ8RSBmlA6chtn4V+5WPZT6UumqaiUHnj+DFoeG7K+WjUzBRMB0GA1Ud
    DgQWBBSEw4P+t8C5M72YpwIgdE2AHG7hxjAfBgNVHSMEGDAWgBSEw4P+t8C5M72Y
    pwIgdE2AHG7hxjAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQC2
    eD6KWd75IvltNbjoR4VvskRHMUDU2tHXYpNMfybXWwIgG95/Dgdtzo7inbhtFFqj
    4IE6k+ZDHk/3VUT0AkOA66E=
    -----END CERTIFICATE-----
    """
  static let otherServerPem = """
    -----BEGIN CERTIFICATE-----
    MIIBkjCCATegAwIBAgIUKOK9RSng82I0t4Odo9WInHyU+okwCgYIKoZIzj0EAwIw
    GzEZMBcGA1UEAwwQT3RoZXIgRml4dHVyZSBDQTAgFw0yNjExMjcxMDE5MjFaGA8y
    MTI2MTEwMzEwMTkyMVowFDESMBAGA1UEAwwJbG9jYWxob3N0MFkwEwYHKoZIzj0C
    AQYIKoZIzj0DAQcDQgAEb688IHS8xhMGI6MKBbqRJ+yRxaSKOQePE0yFWj823R+R
    iBux0+3O4VVpqmCtnDiPI7VqwxZiHcdrHEcCUDkx/aNeMFwwGgYDVR0RBBMwEYIJ
    bG9jYWxob3N0hwR/AAABMB0GA1UdDgQWBBSlgnnnJQPPv+CGp44UEfkmY35l4zAf
    BgNVHSMEGDAWgBSEw4P+t8C5M72YpwIgdE2AHG7hxjAKBggqhkjOPQQDAgNJADBG
    AiEAg678yEPRY1qQOaKY+ROvCozGRDmCtoRS3iM2SQP0ihMCIQCDST7+dVCcVEhF
    KgdZaf+RHCn4GkM/yfFqwS8nAumIIQ==
    -----END CERTIFICATE-----
    """
  static let otherServerKey = """
    -----BEGIN PRIVATE KEY-----
    MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgkI7P0IbCGHTA+ugd
    Q0WkvxkujKwp+2EnWqHjC1+pXDShRANCAARvrzwgdLzGEwYjowoFupEn7JHFpIo5
    B48TTIVaPzbdH5GIG7HT7c7hVWmqYK2cOI8jtWrDFmIdx2scRwJQOTH9
    -----END PRIVATE KEY-----
    """
  static let expiredPem = """
    -----BEGIN CERTIFICATE-----
    MIIBfjCCASSgAwIBAgICEAAwCgYIKoZIzj0EAwIwHDEaMBgGA1UEAwwRT252ZXJh
    IEZpeHR1cmUgQ0EwHhcNMjAwMTAxMDAwMDAwWhcNMjAwMjAxMDAwMDAwWjAUMRIw
    EAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQME4sq
    okO5B0kgxR2ZvqVZzwORTzF5Ag1XK7ewKHZ03tWVSjhOLJRKnaP/D11+y/pfvFSN
    Tn/GQ8JLrt4xj8b9o14wXDAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwHQYD
    VR0OBBYEFLwm6x62BWfCY+je46I3rmh/djfSMB8GA1UdIwQYMBaAFJcEQ5gP0kDZ
    o5Wc8oW5VmdhUt4JMAoGCCqGSM49BAMCA0gAMEUCIQDqcuoU/gX9ZY8R1NSZyoCp
    JZn0IZEJ1xGVBId1TSML0AIgNi8ZZ2pq2uQE47uab5tVMyxayY/RinuYtbl5UlBv
    xuQ=
    -----END CERTIFICATE-----
    """
  static let expiredKey = """
    -----BEGIN PRIVATE KEY-----
    MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg1TF6ufvTT8qSvyN7
    0QH0+RVhgteh2j3y31CakW1j/KyhRANCAAQME4sqokO5B0kgxR2ZvqVZzwORTzF5
    Ag1XK7ewKHZ03tWVSjhOLJRKnaP/D11+y/pfvFSNTn/GQ8JLrt4xj8b9
    -----END PRIVATE KEY-----
    """
  static let wrongKey = """
    -----BEGIN PRIVATE KEY-----
    MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgHB1LRfdLNzyF0bLX
    YOCFaKbV40UQ4V9tWkoXHykMHqyhRANCAARVOf1LOLNK4y3kEYEn39NeSS+3/wbj
    vHQFih6LgOFk6jInr9wCF/hCEhJt3UQYPAKe+97otLNc+DVHPYgMETar
    -----END PRIVATE KEY-----
    """
  static let all: [String: String] = [
    "ca.pem": caPem,
    "server.pem": serverPem,
    "server.key": serverKey,
    "client.pem": clientPem,
    "client.key": clientKey,
    "other-ca.pem": otherCaPem,
    "other-server.pem": otherServerPem,
    "other-server.key": otherServerKey,
    "expired.pem": expiredPem,
    "expired.key": expiredKey,
    "wrong.key": wrongKey,
  ]
}
