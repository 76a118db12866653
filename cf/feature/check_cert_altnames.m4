divert(-1)
#
# FEATURE(`check_cert_altnames')
#	Compare the peer name with the subjectAltName entries of its
#	certificate too (SetCertAltnames).
#
